/** A subject's limits checked beyond their schemas (see proto's limitIssues); errors name the offending field. */
import { AppError } from "@thinkwatch/errors";
import { type BudgetCap, limitIssues, type QuotaSubject, type RateLimitRule } from "@thinkwatch/proto";

export function assertLimits(subject: QuotaSubject, rules?: RateLimitRule[], budgets?: BudgetCap[]): void {
  const fields = limitIssues(subject, rules, budgets);
  if (Object.keys(fields).length === 0) return;
  const summary = Object.entries(fields)
    .map(([path, message]) => `${path}: ${message}`)
    .join("; ");
  throw new AppError("validation_failed", `invalid request: ${summary}`, { details: { fields } });
}
