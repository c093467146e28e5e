/**
 * quota contracts: the pre-flight check every gateway request makes (with its budget reservation), rule and budget
 * management, usage read-back, and the rule index edges read to skip the check when nothing can apply.
 */
import * as v from "valibot";
import { eventContract, requestContract } from "./contract.js";

export const QuotaSubjectKindSchema = v.picklist(
  ["user", "api_key", "provider", "mcp_server", "team"],
  "kind must be one of user, api_key, provider, mcp_server, team",
);
export type QuotaSubjectKind = v.InferOutput<typeof QuotaSubjectKindSchema>;

export const QuotaSubjectSchema = v.object({
  kind: QuotaSubjectKindSchema,
  id: v.pipe(v.string(), v.minLength(1, "id is required"), v.maxLength(200)),
});
export type QuotaSubject = v.InferOutput<typeof QuotaSubjectSchema>;

/** The gateways quota counts on (a key's `console` surface is not metered). */
export const QuotaSurfaceSchema = v.picklist(["ai_gateway", "mcp_gateway"], "surface must be ai_gateway or mcp_gateway");
export type QuotaSurface = v.InferOutput<typeof QuotaSurfaceSchema>;

/** Windows the 60-bucket sliding counter supports; each is 60 buckets of window/60 seconds. */
export const RATE_WINDOWS_SECONDS = [60, 300, 3600, 18000, 86400, 604800] as const;
export const WINDOW_LABELS: Record<number, string> = {
  60: "1m",
  300: "5m",
  3600: "1h",
  18000: "5h",
  86400: "1d",
  604800: "1w",
};

const Reason = v.pipe(v.string(), v.maxLength(500, "reason is at most 500 characters"));
const ExpiresAt = v.nullable(v.pipe(v.number("expiresAt must be epoch milliseconds"), v.integer(), v.minValue(0)));

export const RateLimitRuleSchema = v.object({
  surface: QuotaSurfaceSchema,
  metric: v.picklist(["requests", "tokens"], "metric must be requests or tokens"),
  windowSeconds: v.pipe(
    v.number("windowSeconds must be a number"),
    v.check(
      (n) => (RATE_WINDOWS_SECONDS as readonly number[]).includes(n),
      "window must be 60, 300, 3600, 18000, 86400 or 604800 seconds",
    ),
  ),
  limit: v.pipe(v.number("limit must be a number"), v.integer("limit must be an integer"), v.minValue(0, "limit must be ≥ 0")),
  enabled: v.optional(v.boolean(), true),
  /** Epoch ms after which the rule no longer applies (a temporary raise or block); null: never. */
  expiresAt: v.optional(ExpiresAt, null),
  /** Why the rule exists, for the next admin. */
  reason: v.optional(v.nullable(Reason), null),
});
export type RateLimitRule = v.InferOutput<typeof RateLimitRuleSchema>;

export const BUDGET_PERIODS = ["daily", "weekly", "monthly"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const BudgetCapSchema = v.object({
  period: v.picklist(BUDGET_PERIODS, "period must be daily, weekly or monthly"),
  /** `tokens`: weighted tokens; `usd`: dollars (raw tokens × the model's prices). */
  unit: v.picklist(["tokens", "usd"], "unit must be tokens or usd"),
  limit: v.pipe(v.number("limit must be a number"), v.minValue(0, "limit must be ≥ 0"), v.maxValue(1e15)),
  /** IANA zone whose midnight (and Monday, and 1st) the period follows. */
  timezone: v.optional(
    v.pipe(v.string(), v.maxLength(64), v.check(isTimeZone, "timezone must be an IANA time zone such as Europe/Berlin")),
    "UTC",
  ),
  enabled: v.optional(v.boolean(), true),
  expiresAt: v.optional(ExpiresAt, null),
  reason: v.optional(v.nullable(Reason), null),
});
export type BudgetCap = v.InferOutput<typeof BudgetCapSchema>;

/** The estimated cost one admitted request reserves against every budget it touches. */
export const ReservationSchema = v.object({
  /** The gateway event id: post-flight accounting of that event settles the reservation. */
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  weightedTokens: v.pipe(v.number(), v.minValue(0)),
  usd: v.pipe(v.number(), v.minValue(0)),
});
export type Reservation = v.InferOutput<typeof ReservationSchema>;

export const QuotaCheckRequestSchema = v.object({
  surface: QuotaSurfaceSchema,
  subjects: v.array(QuotaSubjectSchema),
  requestId: v.string(),
  reservation: v.optional(ReservationSchema),
});
export type QuotaCheckRequest = v.InferOutput<typeof QuotaCheckRequestSchema>;

/** The rule or budget closest to refusing, for `x-ratelimit-*` headers. */
export const QuotaHeadroomSchema = v.object({
  label: v.string(),
  limit: v.number(),
  remaining: v.number(),
  /** Seconds until the counter frees up (window slides) or resets (period ends). */
  resetSeconds: v.number(),
});
export type QuotaHeadroom = v.InferOutput<typeof QuotaHeadroomSchema>;

export const QuotaDecisionSchema = v.object({
  allowed: v.boolean(),
  /** Set when refused: which rule, e.g. `api_key:requests/1m`, `team:budget/monthly`, `rate_limiter_unavailable`. */
  rejectedBy: v.optional(
    v.object({
      label: v.string(),
      limit: v.number(),
      windowSeconds: v.number(),
      retryAfterSeconds: v.number(),
      kind: v.optional(v.picklist(["rule", "budget", "unavailable"]), "rule"),
    }),
  ),
  tightest: v.optional(QuotaHeadroomSchema),
});
export type QuotaDecision = v.InferOutput<typeof QuotaDecisionSchema>;

/**
 * The refusal when a request could not be checked (Redis down at quota, or quota not answering the edge in time) and
 * the fail policy (`security.rateLimitFailClosed`) refuses unchecked requests.
 */
export const RATE_LIMITER_UNAVAILABLE: QuotaDecision = {
  allowed: false,
  rejectedBy: { label: "rate_limiter_unavailable", limit: 0, windowSeconds: 0, retryAfterSeconds: 1, kind: "unavailable" },
};

export const QuotaCheck = requestContract("quota.v1.check", QuotaCheckRequestSchema, QuotaDecisionSchema);

/** The checks an edge gathered in one event-loop tick, answered in order in one message. */
export const QuotaCheckBatch = requestContract(
  "quota.v1.check_batch",
  v.object({ checks: v.pipe(v.array(QuotaCheckRequestSchema), v.maxLength(1000)) }),
  v.object({ decisions: v.array(QuotaDecisionSchema) }),
);

export const QuotaRulesSet = requestContract(
  "quota.v1.rules.set",
  v.object({ subject: QuotaSubjectSchema, rules: v.array(RateLimitRuleSchema) }),
  v.object({ rules: v.array(RateLimitRuleSchema) }),
);

export const QuotaRulesList = requestContract(
  "quota.v1.rules.list",
  v.object({ subject: QuotaSubjectSchema }),
  v.object({ rules: v.array(RateLimitRuleSchema) }),
);

export const QuotaBudgetsSet = requestContract(
  "quota.v1.budgets.set",
  v.object({ subject: QuotaSubjectSchema, budgets: v.array(BudgetCapSchema) }),
  v.object({ budgets: v.array(BudgetCapSchema) }),
);

export const QuotaBudgetsList = requestContract(
  "quota.v1.budgets.list",
  v.object({ subject: QuotaSubjectSchema }),
  v.object({ budgets: v.array(BudgetCapSchema) }),
);

/** Every subject that has at least one rule or budget, with counts (the console's Limits overview). */
export const QuotaSubjectsList = requestContract(
  "quota.v1.subjects.list",
  v.object({}),
  v.object({ subjects: v.array(v.object({ subject: QuotaSubjectSchema, rules: v.number(), budgets: v.number() })) }),
);

export const RuleUsageSchema = v.object({
  label: v.string(),
  rule: RateLimitRuleSchema,
  used: v.number(),
  remaining: v.number(),
  resetSeconds: v.number(),
});
export const BudgetUsageSchema = v.object({
  label: v.string(),
  budget: BudgetCapSchema,
  /** Settled spend this period (tokens, or USD). */
  used: v.number(),
  /** Held by requests in flight. */
  reserved: v.number(),
  remaining: v.number(),
  periodStart: v.number(),
  periodEnd: v.number(),
});
export const SubjectUsageSchema = v.object({
  subject: QuotaSubjectSchema,
  rules: v.array(RuleUsageSchema),
  budgets: v.array(BudgetUsageSchema),
});
export type SubjectUsage = v.InferOutput<typeof SubjectUsageSchema>;

/** "X / Y used" for every rule and budget of the given subjects. */
export const QuotaUsage = requestContract(
  "quota.v1.usage",
  v.object({ subjects: v.pipe(v.array(QuotaSubjectSchema), v.maxLength(100)) }),
  v.object({ subjects: v.array(SubjectUsageSchema) }),
);

/** Core NATS broadcast so every quota replica reloads the rules and budgets of a subject. */
export const QuotaRulesChanged = eventContract("quota.v1.rules.changed", v.object({ subject: QuotaSubjectSchema }));

/**
 * The rule index in the config KV (`quota_index`): which subjects have any enabled rule or budget, per surface, so an
 * edge asks quota only when something can apply. Entries are `<kind>:<id>`.
 */
export const QuotaIndexSchema = v.object({
  revision: v.number(),
  ai: v.array(v.string()),
  mcp: v.array(v.string()),
  /**
   * The AI subjects with a limit counted in tokens or USD (a token rule, a budget): only a request one of them
   * applies to needs its prompt estimated for the reservation. Absent from an index an older quota published: every
   * AI subject is then taken as metered.
   */
  aiMetered: v.optional(v.array(v.string())),
});
export type QuotaIndex = v.InferOutput<typeof QuotaIndexSchema>;

export function subjectKey(subject: QuotaSubject): string {
  return `${subject.kind}:${subject.id}`;
}

/**
 * What the schemas cannot say about one subject's limits, as field → message: one rule per surface/metric/window
 * and one budget per period/unit; provider limits are AI-only, MCP server limits MCP-only (an MCP server has no
 * token cost, so no budget, and MCP gateway rules count requests). Empty when all is well.
 */
export function limitIssues(
  subject: QuotaSubject,
  rules: RateLimitRule[] | undefined,
  budgets: BudgetCap[] | undefined,
): Record<string, string> {
  const fields: Record<string, string> = {};
  const seenRules = new Set<string>();
  (rules ?? []).forEach((rule, index) => {
    const key = `${rule.surface}/${rule.metric}/${rule.windowSeconds}`;
    if (seenRules.has(key)) fields[`rules.${index}`] ??= `two rules for ${key}; keep one rule per surface, metric and window`;
    seenRules.add(key);
    if (subject.kind === "provider" && rule.surface !== "ai_gateway")
      fields[`rules.${index}.surface`] ??= "provider rules apply to the AI gateway only (ai_gateway)";
    if (subject.kind === "mcp_server" && rule.surface !== "mcp_gateway")
      fields[`rules.${index}.surface`] ??= "MCP server rules apply to the MCP gateway only (mcp_gateway)";
    if (rule.surface === "mcp_gateway" && rule.metric !== "requests")
      fields[`rules.${index}.metric`] ??= "MCP gateway rules count tool calls (requests); tool calls have no tokens";
  });
  if (subject.kind === "mcp_server" && (budgets ?? []).length > 0) {
    fields.budgets = "MCP servers have no token cost, so they take rate limits, not budgets";
  }
  const seenBudgets = new Set<string>();
  (budgets ?? []).forEach((budget, index) => {
    const key = `${budget.period}/${budget.unit}`;
    if (seenBudgets.has(key)) fields[`budgets.${index}`] ??= `two ${budget.period} budgets in ${budget.unit}; keep one`;
    seenBudgets.add(key);
  });
  return fields;
}
