/**
 * Redis key names of the counters. Every key a script touches is passed through KEYS (so the client's namespace
 * prefix applies); a budget has three: its totals, its reservations' amounts and their expiry times.
 */
import type { CalendarPeriod } from "./calendar-period.js";
import type { BudgetApplication, RuleApplication } from "./labels.js";

/**
 * A rule's key is built once per cached rule object, not once per check (checks are the hot path; a rule object lives
 * as long as its subject's limits stay cached). The entry remembers what it was built from, so a rule object seen with
 * another subject still gets its own key.
 */
const windowKeys = new WeakMap<RuleApplication["rule"], { kind: string; id: string; key: string }>();

export function windowKey({ subject, rule }: RuleApplication): string {
  const known = windowKeys.get(rule);
  if (known !== undefined && known.kind === subject.kind && known.id === subject.id) return known.key;
  // `rlw:`: windows that carry their running total (see check-script.ts). The earlier `rl:` hashes held buckets only
  // and scripts of that layout cannot read these; the two never share a key, and `rl:` keys expire with their window.
  const key = `rlw:${subject.kind}:${subject.id}:${rule.surface}:${rule.metric}:${rule.windowSeconds}`;
  windowKeys.set(rule, { kind: subject.kind, id: subject.id, key });
  return key;
}

export function budgetKeys({ subject, budget }: BudgetApplication, period: CalendarPeriod): [string, string, string] {
  const base = `bg:${subject.kind}:${subject.id}:${budget.unit}:${budget.period}:${budget.timezone}:${period.id}`;
  return [base, `${base}:r`, `${base}:x`];
}

export function seenKey(eventId: string): string {
  return `seen:${eventId}`;
}

/** Counters hold integers: weighted tokens rounded up, USD in micro-dollars. */
export function toCounterUnits(unit: "tokens" | "usd", value: number): number {
  return unit === "usd" ? Math.ceil(value * 1_000_000 - 1e-6) : Math.ceil(value - 1e-9);
}

export function fromCounterUnits(unit: "tokens" | "usd", value: number): number {
  return unit === "usd" ? value / 1_000_000 : value;
}
