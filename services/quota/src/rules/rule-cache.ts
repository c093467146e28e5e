/**
 * In-memory rules per subject so a quota check costs no database round trip. Entries load on first use, are dropped
 * when any replica broadcasts quota.v1.rules.changed, and expire after a minute as a safety net for a lost broadcast.
 */
import type { QuotaSubject, RateLimitRule } from "@thinkwatch/proto";
import type { RuleStore } from "./rule-store.js";

const TTL_MS = 60_000;

export interface RuleCache {
  rulesOf(subject: QuotaSubject): Promise<RateLimitRule[]>;
  invalidate(subject: QuotaSubject): void;
}

export function createRuleCache(store: RuleStore, now: () => number = Date.now): RuleCache {
  const entries = new Map<string, { rules: Promise<RateLimitRule[]>; loadedAt: number }>();
  const keyOf = (subject: QuotaSubject) => `${subject.kind}:${subject.id}`;
  return {
    rulesOf(subject) {
      const key = keyOf(subject);
      const cached = entries.get(key);
      if (cached !== undefined && now() - cached.loadedAt < TTL_MS) return cached.rules;
      const rules = store.rulesOf(subject);
      entries.set(key, { rules, loadedAt: now() });
      // A failed load must not stay cached.
      rules.catch(() => entries.delete(key));
      return rules;
    },
    invalidate(subject) {
      entries.delete(keyOf(subject));
    },
  };
}
