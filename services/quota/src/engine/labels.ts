/** The names rules and budgets go by in 429 bodies, headers and the console: `user:requests/1m`, `team:budget/monthly`. */
import { type BudgetCap, type QuotaSubject, type RateLimitRule, WINDOW_LABELS } from "@thinkwatch/proto";

export interface RuleApplication {
  subject: QuotaSubject;
  rule: RateLimitRule;
}

export interface BudgetApplication {
  subject: QuotaSubject;
  budget: BudgetCap;
}

/** Built once per cached rule object (and subject kind), not once per check. */
const ruleLabels = new WeakMap<RateLimitRule, { kind: string; label: string }>();

export function ruleLabel({ subject, rule }: RuleApplication): string {
  const known = ruleLabels.get(rule);
  if (known !== undefined && known.kind === subject.kind) return known.label;
  const label = `${subject.kind}:${rule.metric}/${WINDOW_LABELS[rule.windowSeconds] ?? `${rule.windowSeconds}s`}`;
  ruleLabels.set(rule, { kind: subject.kind, label });
  return label;
}

export function budgetLabel({ subject, budget }: BudgetApplication): string {
  return `${subject.kind}:budget/${budget.period}${budget.unit === "usd" ? "_usd" : ""}`;
}
