import { describe, expect, it } from "vitest";
import { generateVirtualKey, hashVirtualKey, looksLikeVirtualKey } from "./virtual-key.js";

describe("virtual keys", () => {
  it("are tw- plus 40 base62 characters, unique, and hash to 64 hex characters", () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateVirtualKey()));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(looksLikeVirtualKey(key)).toBe(true);
    const [first] = keys;
    expect(hashVirtualKey(first as string)).toMatch(/^[0-9a-f]{64}$/);
    expect(looksLikeVirtualKey("sk-abc")).toBe(false);
  });
});
