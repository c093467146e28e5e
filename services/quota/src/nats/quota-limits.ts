/**
 * quota.v1.rules.* / budgets.* / subjects.list: read and replace a subject's rules and budgets. A change reaches
 * every replica's cache by broadcast and every edge through the rule index.
 */
import type { Bus } from "@thinkwatch/bus";
import {
  QuotaBudgetsList,
  QuotaBudgetsSet,
  QuotaRulesChanged,
  QuotaRulesList,
  QuotaRulesSet,
  type QuotaSubject,
  QuotaSubjectsList,
} from "@thinkwatch/proto";
import type { LimitCache } from "../limits/limit-cache.js";
import type { LimitStore } from "../limits/limit-store.js";
import { assertLimits } from "../limits/limit-validation.js";
import type { RuleIndexPublisher } from "../limits/rule-index.js";

export interface QuotaLimitsDeps {
  bus: Bus;
  store: LimitStore;
  cache: LimitCache;
  index: RuleIndexPublisher;
}

export function registerQuotaLimits({ bus, store, cache, index }: QuotaLimitsDeps): void {
  bus.onBroadcast(QuotaRulesChanged, ({ subject }) => cache.invalidate(subject));

  const changed = async (subject: QuotaSubject) => {
    cache.invalidate(subject);
    bus.broadcast(QuotaRulesChanged, { subject });
    // A failure here fails the request (logged by the bus): the change is committed, but edges keep the old index
    // until the next publish, and the admin must know.
    await index.publish();
  };

  bus.serve(QuotaRulesSet, async ({ subject, rules }) => {
    assertLimits(subject, rules);
    const stored = await store.replaceRules(subject, rules);
    await changed(subject);
    return { rules: stored };
  });

  bus.serve(QuotaBudgetsSet, async ({ subject, budgets }) => {
    assertLimits(subject, undefined, budgets);
    const stored = await store.replaceBudgets(subject, budgets);
    await changed(subject);
    return { budgets: stored };
  });

  bus.serve(QuotaRulesList, async ({ subject }) => ({ rules: (await store.limitsOf(subject)).rules }));
  bus.serve(QuotaBudgetsList, async ({ subject }) => ({ budgets: (await store.limitsOf(subject)).budgets }));
  bus.serve(QuotaSubjectsList, async () => ({
    subjects: (await store.summaries()).map(({ subject, rules, budgets }) => ({ subject, rules, budgets })),
  }));
}
