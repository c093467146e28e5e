import { describe, expect, it } from "vitest";
import { allowedByPatterns, matchesPattern } from "./name-patterns.js";

describe("name patterns", () => {
  it.each([
    ["gpt-4o*", "gpt-4o", true],
    ["gpt-4o*", "gpt-4o-mini", true],
    ["gpt-4o*", "gpt-4", false],
    ["gpt-4o*", "my-gpt-4o", false],
    ["github__*", "github__create_issue", true],
    ["github__*", "gitlab__create_issue", false],
    ["*__query", "postgres__query", true],
    ["claude-*-4-5", "claude-sonnet-4-5", true],
    ["gpt-4.1", "gpt-4x1", false],
    ["a(b)+", "a(b)+", true],
    ["a(b)+", "abb", false],
    ["*", "anything at all", true],
  ])("%s matches %s: %s", (pattern, name, expected) => {
    expect(matchesPattern(pattern, name)).toBe(expected);
  });

  it("treats a null allow-list as allowing everything and an empty one as allowing nothing", () => {
    expect(allowedByPatterns(null, "gpt-4o")).toBe(true);
    expect(allowedByPatterns([], "gpt-4o")).toBe(false);
    expect(allowedByPatterns(["claude-*", "gpt-4o*"], "gpt-4o-mini")).toBe(true);
  });
});
