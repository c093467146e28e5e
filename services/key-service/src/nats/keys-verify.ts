/**
 * keys.v1.verify: the edges' key check on a cache miss (they send the SHA-256 of the presented key, never the key).
 * Unknown, revoked, suspended, disabled, expired and rotated-out keys are all `invalid_api_key`, with a message that
 * says which.
 */
import { AppError } from "@thinkwatch/errors";
import { KeysVerify } from "@thinkwatch/proto";
import type { KeyServiceDeps } from "../deps.js";
import { statusFacts, toKeyInfo } from "../keys/key-info.js";
import { isUsable, refusal } from "../keys/key-status.js";
import { findByHash } from "../keys/key-store.js";

export function registerKeysVerify(deps: KeyServiceDeps): void {
  deps.bus.serve(KeysVerify, async (request) => {
    const row = await findByHash(deps.db, request.keyHash);
    if (row === null) throw new AppError("invalid_api_key", "invalid API key");
    const key = toKeyInfo(row, deps.now());
    if (!isUsable(key.status)) throw refusal(key.status, statusFacts(row));
    return { key };
  });
}
