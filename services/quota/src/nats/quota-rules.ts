/** quota.v1.rules.set / .list: replace or read the rules of one subject; a change reaches every replica's cache. */
import type { Bus } from "@thinkwatch/bus";
import { AppError } from "@thinkwatch/errors";
import { QuotaRulesChanged, QuotaRulesList, QuotaRulesSet } from "@thinkwatch/proto";
import type { RuleCache } from "../rules/rule-cache.js";
import type { RuleStore } from "../rules/rule-store.js";

export function registerQuotaRules(bus: Bus, store: RuleStore, cache: RuleCache): void {
  bus.onBroadcast(QuotaRulesChanged, ({ subject }) => cache.invalidate(subject));

  bus.serve(QuotaRulesSet, async ({ subject, rules }) => {
    const seen = new Set<string>();
    for (const rule of rules) {
      const key = `${rule.surface}/${rule.metric}/${rule.windowSeconds}`;
      if (seen.has(key))
        throw new AppError("validation_failed", `two rules for ${key}; keep one rule per surface, metric and window`);
      seen.add(key);
    }
    const stored = await store.replaceRules(subject, rules);
    cache.invalidate(subject);
    bus.broadcast(QuotaRulesChanged, { subject });
    return { rules: stored };
  });

  bus.serve(QuotaRulesList, async ({ subject }) => ({ rules: await store.rulesOf(subject) }));
}
