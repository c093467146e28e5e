import { describe, expect, it } from "vitest";
import { backoffMs, isRetryableStatus, retryAfterMs } from "./retry-policy.js";

describe("isRetryableStatus", () => {
  it.each([
    [408, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [404, false],
    [422, false],
  ])("%i → %s", (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    [{ "retry-after-ms": "1500" }, 1500],
    [{ "retry-after-ms": "12.2", "retry-after": "9" }, 13],
    [{ "retry-after": "3" }, 3000],
    [{ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }, 5000],
    [{ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }, 0],
    [{ "retry-after": "soon" }, null],
    [{ "retry-after-ms": "-5" }, null],
    [{}, null],
  ])("%j → %s", (headers, expected) => {
    expect(retryAfterMs(headers, now)).toBe(expected);
  });
});

describe("backoffMs", () => {
  it("draws uniformly below min(max, base·2^(n-1))", () => {
    expect(backoffMs(1, 200, 5000, () => 0.999)).toBe(199);
    expect(backoffMs(3, 200, 5000, () => 0.5)).toBe(400);
    expect(backoffMs(10, 200, 5000, () => 0.5)).toBe(2500);
    expect(backoffMs(2, 200, 5000, () => 0)).toBe(0);
  });
});
