import { describe, expect, it } from "vitest";
import { keyStatus } from "./key-status";

const NOW = 1_700_000_000_000;

describe("keyStatus", () => {
  it.each([
    [{ revokedAt: null, expiresAt: null }, "active"],
    [{ revokedAt: null, expiresAt: NOW + 1 }, "active"],
    [{ revokedAt: null, expiresAt: NOW }, "expired"],
    [{ revokedAt: NOW - 5, expiresAt: NOW - 1 }, "revoked"],
  ] as const)("%j → %s", (key, expected) => {
    expect(keyStatus(key, NOW)).toBe(expected);
  });
});
