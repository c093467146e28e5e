/** keys.v1.create: mint a `tw-` key, store only its hash, return the plaintext exactly once. */

import type { Bus } from "@thinkwatch/bus";
import { generateVirtualKey, hashVirtualKey } from "@thinkwatch/crypto";
import { KeysChanged, KeysCreate } from "@thinkwatch/proto";
import { type KeyStore, publicKeyInfo } from "../keys/key-store.js";

const VISIBLE_PREFIX_LENGTH = 7;

export function registerKeysCreate(bus: Bus, store: KeyStore): void {
  bus.serve(KeysCreate, async (request) => {
    const plaintext = generateVirtualKey();
    const keyHash = hashVirtualKey(plaintext);
    const stored = await store.insert({
      userId: request.userId,
      teamId: request.teamId ?? null,
      name: request.name,
      keyHash,
      keyPrefix: plaintext.slice(0, VISIBLE_PREFIX_LENGTH),
      surfaces: request.surfaces,
      allowedModels: request.allowedModels ?? null,
      expiresAt: request.expiresAt ?? null,
    });
    bus.broadcast(KeysChanged, { keyId: stored.id, keyHash, change: "created" });
    return { key: publicKeyInfo(stored), plaintext };
  });
}
