import { describe, expect, it } from "vitest";
import { keyStatus } from "./key-status";

const NOW = 1_700_000_000_000;

describe("keyStatus", () => {
  it.each([
    [{ status: "active", expiresAt: null, graceEndsAt: null }, "active"],
    [{ status: "active", expiresAt: NOW + 1, graceEndsAt: null }, "active"],
    [{ status: "active", expiresAt: NOW, graceEndsAt: null }, "expired"],
    [{ status: "grace", expiresAt: null, graceEndsAt: NOW + 1 }, "grace"],
    [{ status: "grace", expiresAt: null, graceEndsAt: NOW }, "rotated"],
    [{ status: "revoked", expiresAt: NOW - 1, graceEndsAt: null }, "revoked"],
    [{ status: "suspended", expiresAt: null, graceEndsAt: null }, "suspended"],
  ] as const)("%j → %s", (key, expected) => {
    expect(keyStatus(key, NOW)).toBe(expected);
  });
});
