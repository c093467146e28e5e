import { describe, expect, it } from "vitest";
import { ChildCache } from "./label-cache.js";

describe("pre-bound children", () => {
  it("binds each label set once and hands the same child back", () => {
    const bound: string[][] = [];
    const cache = new ChildCache((...values) => {
      bound.push(values);
      return { values };
    });
    const first = cache.get4("openai_chat", "openai", "gpt-4o", "200");
    expect(cache.get4("openai_chat", "openai", "gpt-4o", "200")).toBe(first);
    expect(cache.get4("openai_chat", "openai", "gpt-4o", "429")).not.toBe(first);
    expect(cache.get2("a", "b")).toBe(cache.get2("a", "b"));
    expect(cache.get1("a")).toBe(cache.get1("a"));
    expect(bound).toEqual([
      ["openai_chat", "openai", "gpt-4o", "200"],
      ["openai_chat", "openai", "gpt-4o", "429"],
      ["a", "b"],
      ["a"],
    ]);
  });
});
