/**
 * Verified keys cached in memory: the hot path asks key-service once per key per cache TTL (the
 * `performance.keyCacheTtlSeconds` setting), not once per request. Misses for the same key share one in-flight
 * request; every key change arrives by broadcast and drops the entry at once; unknown keys are remembered briefly so
 * a flood of bad keys does not become a flood of bus requests, and strings that cannot be a key never leave the
 * process. Expiry and the end of a rotation grace period are checked here against the clock, so they take effect on
 * the dot on every replica. Use is reported to key-service in batches (keys.v1.touch), so `last_used_at` costs no
 * database write per request.
 */
import type { Bus } from "@thinkwatch/bus";
import { hashVirtualKey, looksLikeVirtualKey } from "@thinkwatch/crypto";
import { AppError } from "@thinkwatch/errors";
import type { Logger } from "@thinkwatch/log";
import { type ApiKeyInfo, KeysChanged, KeysTouch, KeysVerify } from "@thinkwatch/proto";
import type { TraceContext } from "@thinkwatch/tracing";

const DEFAULT_TTL_MS = 60_000;
const NEGATIVE_TTL_MS = 5_000;
const MAX_ENTRIES = 50_000;
const DEFAULT_USAGE_FLUSH_MS = 5_000;
const TOUCH_BATCH = 10_000;

type Entry = { expiresAt: number } & ({ ok: true; key: ApiKeyInfo } | { ok: false; error: AppError });

export interface KeyVerifierOptions {
  now?: () => number;
  /** How long a verified key is trusted, read on each miss so a settings change applies at once. */
  cacheTtlMs?: () => number;
  /** How often the ids of used keys are reported to key-service. */
  usageFlushMs?: number;
  log?: Logger;
}

export interface KeyVerifier {
  /** `trace`: the request's context, parent of the key-service request span when the key is not cached. */
  verify(plaintext: string, trace?: TraceContext): Promise<ApiKeyInfo>;
  /**
   * As verify, without a promise when the cache decides (a hit, or a remembered refusal): the key, or the error
   * thrown at once; a promise only when key-service must be asked. The gateway's hot path.
   */
  verifyNow(plaintext: string, trace?: TraceContext): ApiKeyInfo | Promise<ApiKeyInfo>;
  size(): number;
  /** Report the keys used since the last report now (also runs on a timer). */
  flushUsage(): Promise<void>;
  /** Stop the usage timer and send the last report. */
  stop(): Promise<void>;
}

/** One instance for every string that cannot be a key: a flood of garbage costs no stack traces. */
const NOT_A_KEY = new AppError("invalid_api_key", "invalid API key");

export function createKeyVerifier(bus: Bus, options: KeyVerifierOptions = {}): KeyVerifier {
  const now = options.now ?? Date.now;
  const ttlMs = options.cacheTtlMs ?? (() => DEFAULT_TTL_MS);
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Entry>>();
  // Bumped by every broadcast: a lookup that overlapped an invalidation answers its caller but is not cached, so a
  // reply computed before a revocation cannot outlive the revocation's broadcast.
  let invalidations = 0;
  let used = new Set<string>();

  bus.onBroadcast(KeysChanged, ({ keyHash }) => {
    invalidations += 1;
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

  const lookup = async (hash: string, trace: TraceContext | undefined): Promise<Entry> => {
    const generation = invalidations;
    let entry: Entry;
    try {
      const { key } = await bus.request(KeysVerify, { keyHash: hash }, { trace });
      entry = { ok: true, key, expiresAt: now() + ttlMs() };
    } catch (caught) {
      if (!(caught instanceof AppError && caught.code === "invalid_api_key")) throw caught;
      entry = { ok: false, error: caught, expiresAt: now() + NEGATIVE_TTL_MS };
    }
    if (generation === invalidations) remember(hash, entry);
    return entry;
  };

  const flushUsage = async () => {
    if (used.size === 0) return;
    const ids = [...used];
    used = new Set();
    const at = now();
    for (let start = 0; start < ids.length; start += TOUCH_BATCH) {
      const batch = ids.slice(start, start + TOUCH_BATCH);
      try {
        await bus.request(KeysTouch, { keyIds: batch, at });
      } catch (caught) {
        // Keep them for the next report; last-used times are coarse, losing a beat is harmless.
        for (const id of batch) used.add(id);
        options.log?.warn({ err: caught, keys: batch.length }, "reporting key usage failed; retrying with the next report");
      }
    }
  };

  const timer = setInterval(() => void flushUsage(), options.usageFlushMs ?? DEFAULT_USAGE_FLUSH_MS);
  timer.unref();

  /** The key of a cache entry, if it may be used at `at` (expiry and rotation grace are checked here, not cached). */
  const admitEntry = (entry: Entry, at: number): ApiKeyInfo => {
    if (!entry.ok) throw entry.error;
    const key = entry.key;
    if (key.expiresAt !== null && key.expiresAt <= at) throw new AppError("invalid_api_key", "this API key has expired");
    if (key.graceEndsAt !== null && key.graceEndsAt <= at) {
      throw new AppError("invalid_api_key", "this API key was rotated and its grace period has ended; use its successor");
    }
    used.add(key.id);
    return key;
  };

  const verifyNow = (plaintext: string, trace?: TraceContext): ApiKeyInfo | Promise<ApiKeyInfo> => {
    if (!looksLikeVirtualKey(plaintext)) throw NOT_A_KEY;
    const hash = hashVirtualKey(plaintext);
    const entry = cache.get(hash);
    const at = now();
    if (entry !== undefined && entry.expiresAt > at) return admitEntry(entry, at);
    let pending = inFlight.get(hash);
    if (pending === undefined) {
      pending = lookup(hash, trace).finally(() => inFlight.delete(hash));
      inFlight.set(hash, pending);
    }
    return pending.then((looked) => admitEntry(looked, at));
  };

  return {
    async verify(plaintext, trace) {
      return verifyNow(plaintext, trace);
    },
    verifyNow,
    size: () => cache.size,
    flushUsage,
    async stop() {
      clearInterval(timer);
      await flushUsage();
    },
  };
}
