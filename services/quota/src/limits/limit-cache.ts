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
  invalidate(subject: QuotaSubject): void;
}

export function createLimitCache(store: LimitStore, now: () => number = Date.now): LimitCache {
  const entries = new Map<string, { limits: Promise<SubjectLimits>; loadedAt: number }>();
  const keyOf = (subject: QuotaSubject) => `${subject.kind}:${subject.id}`;
  return {
    limitsOf(subject) {
      const key = keyOf(subject);
      const cached = entries.get(key);
      if (cached !== undefined && now() - cached.loadedAt < TTL_MS) return cached.limits;
      const limits = store.limitsOf(subject);
      entries.set(key, { limits, loadedAt: now() });
      // A failed load must not stay cached.
      limits.catch(() => entries.delete(key));
      return limits;
    },
    invalidate(subject) {
      entries.delete(keyOf(subject));
    },
  };
}
