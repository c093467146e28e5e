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

export function ruleLabel({ subject, rule }: RuleApplication): string {
  return `${subject.kind}:${rule.metric}/${WINDOW_LABELS[rule.windowSeconds] ?? `${rule.windowSeconds}s`}`;
}

export function budgetLabel({ subject, budget }: BudgetApplication): string {
  return `${subject.kind}:budget/${budget.period}${budget.unit === "usd" ? "_usd" : ""}`;
}
