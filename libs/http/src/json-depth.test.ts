import { describe, expect, it } from "vitest";
import { exceedsJsonDepth } from "./json-depth.js";

describe("exceedsJsonDepth", () => {
  it.each([
    ["a scalar", "1", 1, false],
    ["flat object", '{"a":1}', 1, false],
    ["exactly at the limit", "[[[1]]]", 3, false],
    ["one level past the limit", "[[[[1]]]]", 3, true],
    ["objects and arrays mixed", '{"a":[{"b":[1]}]}', 3, true],
    ["brackets inside strings do not count", '{"a":"[[[[[[{{{{"}', 1, false],
    ["siblings do not add up", "[[1],[2],[3],[4]]", 2, false],
  ])("%s", (_name, text, limit, expected) => {
    expect(exceedsJsonDepth(JSON.parse(text), limit)).toBe(expected);
  });

  it("refuses 5,000 levels with the default limit and accepts 128", () => {
    expect(exceedsJsonDepth(JSON.parse(`${"[".repeat(5000)}${"]".repeat(5000)}`))).toBe(true);
    expect(exceedsJsonDepth(JSON.parse(`${"[".repeat(128)}${"]".repeat(128)}`))).toBe(false);
  });
});
