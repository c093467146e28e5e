/**
 * keys.v1.verify: the edges' key check (they send the SHA-256 of the presented key, never the key). Unknown,
 * revoked and expired keys are all `invalid_api_key`, with a message that says which.
 */
import type { Bus } from "@thinkwatch/bus";
import { AppError } from "@thinkwatch/errors";
import { KeysVerify } from "@thinkwatch/proto";
import { type KeyStore, publicKeyInfo } from "../keys/key-store.js";

export function registerKeysVerify(bus: Bus, store: KeyStore, now: () => number = Date.now): void {
  bus.serve(KeysVerify, async (request) => {
    const key = await store.findByHash(request.keyHash);
    if (key === null) throw new AppError("invalid_api_key", "invalid API key");
    if (key.revokedAt !== null) throw new AppError("invalid_api_key", "this API key has been revoked");
    if (key.expiresAt !== null && key.expiresAt <= now()) throw new AppError("invalid_api_key", "this API key has expired");
    return { key: publicKeyInfo(key) };
  });
}
