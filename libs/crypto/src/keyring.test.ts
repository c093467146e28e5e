import { describe, expect, it } from "vitest";
import { createKeyring } from "./keyring.js";

const KEY_A = `${"a".repeat(32)}0123456789abcdef0123456789abcdef`;
const KEY_B = `${"b".repeat(32)}fedcba9876543210fedcba9876543210`;

describe("keyring", () => {
  it("round-trips a secret and never produces the same ciphertext twice", () => {
    const ring = createKeyring(KEY_A);
    const one = ring.encrypt("sk-upstream-secret");
    const two = ring.encrypt("sk-upstream-secret");
    expect(one).not.toBe(two);
    expect(one).not.toContain("sk-upstream");
    expect(ring.decrypt(one)).toBe("sk-upstream-secret");
  });

  it("decrypts values written under a previous key after rotation and flags them for re-encryption", () => {
    const old = createKeyring(KEY_A).encrypt("secret");
    const rotated = createKeyring(KEY_B, [KEY_A]);
    expect(rotated.decrypt(old)).toBe("secret");
    expect(rotated.needsReencryption(old)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt("secret"))).toBe(false);
  });

  it("refuses a value whose key is unknown or whose bytes were altered", () => {
    const value = createKeyring(KEY_A).encrypt("secret");
    expect(() => createKeyring(KEY_B).decrypt(value)).toThrow(/no key with id/);
    const parts = value.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => createKeyring(KEY_A).decrypt(parts.join("."))).toThrow();
  });
});
