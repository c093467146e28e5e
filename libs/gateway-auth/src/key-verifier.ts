/**
 * Verified keys cached in memory: the hot path asks key-service once per key per minute, not once per request.
 * Misses for the same key share one in-flight request; revocations arrive by broadcast and drop the entry at once;
 * unknown keys are remembered briefly so a flood of bad keys does not become a flood of bus requests.
 */
import type { Bus } from "@thinkwatch/bus";
import { hashVirtualKey } from "@thinkwatch/crypto";
import { AppError } from "@thinkwatch/errors";
import { type ApiKeyInfo, KeysChanged, KeysVerify } from "@thinkwatch/proto";

const POSITIVE_TTL_MS = 60_000;
const NEGATIVE_TTL_MS = 5_000;
const MAX_ENTRIES = 50_000;

type Entry = { expiresAt: number } & ({ ok: true; key: ApiKeyInfo } | { ok: false; error: AppError });

export interface KeyVerifier {
  verify(plaintext: string): Promise<ApiKeyInfo>;
  size(): number;
}

export function createKeyVerifier(bus: Bus, now: () => number = Date.now): KeyVerifier {
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Entry>>();

  bus.onBroadcast(KeysChanged, ({ keyHash }) => {
    cache.delete(keyHash);
  });

  const remember = (hash: string, entry: Entry) => {
    if (cache.size >= MAX_ENTRIES) {
      // Maps iterate in insertion order: drop the oldest tenth.
      let toDrop = Math.ceil(MAX_ENTRIES / 10);
      for (const key of cache.keys()) {
        cache.delete(key);
        if (--toDrop === 0) break;
      }
    }
    cache.set(hash, entry);
  };

  const lookup = async (hash: string): Promise<Entry> => {
    try {
      const { key } = await bus.request(KeysVerify, { keyHash: hash });
      const entry: Entry = { ok: true, key, expiresAt: now() + POSITIVE_TTL_MS };
      remember(hash, entry);
      return entry;
    } catch (caught) {
      if (caught instanceof AppError && caught.code === "invalid_api_key") {
        const entry: Entry = { ok: false, error: caught, expiresAt: now() + NEGATIVE_TTL_MS };
        remember(hash, entry);
        return entry;
      }
      throw caught;
    }
  };

  return {
    async verify(plaintext) {
      const hash = hashVirtualKey(plaintext);
      let entry = cache.get(hash);
      if (entry === undefined || entry.expiresAt <= now()) {
        let pending = inFlight.get(hash);
        if (pending === undefined) {
          pending = lookup(hash).finally(() => inFlight.delete(hash));
          inFlight.set(hash, pending);
        }
        entry = await pending;
      }
      if (!entry.ok) throw entry.error;
      if (entry.key.expiresAt !== null && entry.key.expiresAt <= now()) {
        throw new AppError("invalid_api_key", "this API key has expired");
      }
      return entry.key;
    },
    size: () => cache.size,
  };
}
