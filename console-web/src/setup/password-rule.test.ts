import { describe, expect, it } from "vitest";
import { checkPassword, passwordProblem } from "./password-rule";

describe("checkPassword", () => {
  it.each([
    ["", []],
    ["abc", ["lower"]],
    ["ABCDEFGH", ["length", "upper"]],
    ["abcdefg1", ["length", "lower", "digit"]],
    ["Abcdefg1", ["length", "upper", "lower", "digit"]],
    ["Ab1", ["upper", "lower", "digit"]],
    ["ÄÖÜäöü12", ["length", "digit"]],
  ])("%j meets %j", (password, met) => {
    expect(
      checkPassword(password)
        .filter((check) => check.met)
        .map((check) => check.id),
    ).toEqual(met);
  });
});

describe("passwordProblem", () => {
  it.each([
    ["Abcdefg1", "Abcdefg1", undefined],
    ["abcdefg1", "abcdefg1", { field: "password", message: "password needs an uppercase letter" }],
    ["short", "short", { field: "password", message: "password needs at least 8 characters, an uppercase letter, a digit" }],
    ["Abcdefg1", "Abcdefg2", { field: "confirm", message: "the passwords do not match" }],
    [`Aa1${"x".repeat(254)}`, "", { field: "password", message: "password must be at most 256 characters" }],
  ])("%j / %j", (password, confirmation, expected) => {
    expect(passwordProblem(password, confirmation)).toEqual(expected);
  });
});
