/**
 * In-memory limits per subject so a quota check costs no database round trip. Entries load on first use (concurrent
 * first uses share one load), are dropped when any replica broadcasts quota.v1.rules.changed, and expire after a
 * minute as a safety net for a lost broadcast.
 */
import type { QuotaSubject } from "@thinkwatch/proto";
import type { LimitStore, SubjectLimits } from "./limit-store.js";

const TTL_MS = 60_000;

export interface LimitCache {
  limitsOf(subject: QuotaSubject): Promise<SubjectLimits>;
  /** The limits when they are loaded and fresh, without waiting: the hot path of a check allocates no promise. */
  peek(subject: QuotaSubject): SubjectLimits | undefined;
  invalidate(subject: QuotaSubject): void;
}

export function createLimitCache(store: LimitStore, now: () => number = Date.now): LimitCache {
  const entries = new Map<string, { limits: Promise<SubjectLimits>; loadedAt: number; loaded?: SubjectLimits }>();
  const keyOf = (subject: QuotaSubject) => `${subject.kind}:${subject.id}`;
  return {
    limitsOf(subject) {
      const key = keyOf(subject);
      const cached = entries.get(key);
      if (cached !== undefined && now() - cached.loadedAt < TTL_MS) return cached.limits;
      const limits = store.limitsOf(subject);
      const entry: { limits: Promise<SubjectLimits>; loadedAt: number; loaded?: SubjectLimits } = { limits, loadedAt: now() };
      entries.set(key, entry);
      limits.then(
        (loaded) => {
          entry.loaded = loaded;
        },
        // A failed load must not stay cached.
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return limits;
    },
    peek(subject) {
      const cached = entries.get(keyOf(subject));
      return cached !== undefined && now() - cached.loadedAt < TTL_MS ? cached.loaded : undefined;
    },
    invalidate(subject) {
      entries.delete(keyOf(subject));
    },
  };
}
