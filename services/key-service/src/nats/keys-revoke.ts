/** keys.v1.revoke: mark a key revoked and broadcast it so every edge drops its cached verification at once. */
import type { Bus } from "@thinkwatch/bus";
import { AppError } from "@thinkwatch/errors";
import { KeysChanged, KeysRevoke } from "@thinkwatch/proto";
import { type KeyStore, publicKeyInfo } from "../keys/key-store.js";

export function registerKeysRevoke(bus: Bus, store: KeyStore): void {
  bus.serve(KeysRevoke, async (request) => {
    const key = await store.revoke(request.id, new Date());
    if (key === null) throw new AppError("not_found", `no API key with id ${request.id}`);
    bus.broadcast(KeysChanged, { keyId: key.id, keyHash: key.keyHash, change: "revoked" });
    return { key: publicKeyInfo(key) };
  });
}
