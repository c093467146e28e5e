/** What a rate limiter decides for one request against a set of (subject, rule) pairs. */
import type { QuotaSubject, RateLimitRule } from "@thinkwatch/proto";

export interface RuleApplication {
  subject: QuotaSubject;
  rule: RateLimitRule;
}

export type LimitDecision = { allowed: true } | { allowed: false; rejectedBy: RuleApplication; retryAfterSeconds: number };

export interface RateLimiter {
  /** Count `amount` against every rule, all or nothing: if any rule would be exceeded nothing is counted. */
  consume(applications: RuleApplication[], amount: number): Promise<LimitDecision>;
}

const WINDOW_LABELS: Record<number, string> = { 60: "1m", 300: "5m", 3600: "1h", 18000: "5h", 86400: "1d", 604800: "1w" };

/** `api_key:requests/1m` — the label that appears in a 429 body. */
export function ruleLabel(application: RuleApplication): string {
  const window = WINDOW_LABELS[application.rule.windowSeconds] ?? `${application.rule.windowSeconds}s`;
  return `${application.subject.kind}:${application.rule.metric}/${window}`;
}
