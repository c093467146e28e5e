import { describe, expect, it } from "vitest";
import { isShownField, unshownFieldErrors } from "./field-errors";

describe("isShownField", () => {
  it.each([
    ["name", ["name"], true],
    ["names", ["name"], false],
    ["settings.region", ["settings."], true],
    ["settings", ["settings."], false],
    ["models.0.model", ["name", "models."], true],
    ["(body)", ["name"], false],
  ])("%s in %j → %s", (path, shown, expected) => {
    expect(isShownField(path, shown)).toBe(expected);
  });
});

describe("unshownFieldErrors", () => {
  it("keeps the messages the form has no place for", () => {
    const fields = { name: "name is required", "(body)": "body must be an object", "settings.token": "secrets go in apiKey" };
    expect(unshownFieldErrors(fields, ["name", "settings.region"])).toEqual([
      ["(body)", "body must be an object"],
      ["settings.token", "secrets go in apiKey"],
    ]);
  });
});
