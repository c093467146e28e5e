/** quota contracts: the pre-flight check every gateway request makes, and rule management. */
import * as v from "valibot";
import { eventContract, requestContract } from "./contract.js";
import { SurfaceSchema } from "./keys.js";

export const QuotaSubjectKindSchema = v.picklist(["user", "api_key", "provider", "mcp_server", "team"]);
export type QuotaSubjectKind = v.InferOutput<typeof QuotaSubjectKindSchema>;

export const QuotaSubjectSchema = v.object({ kind: QuotaSubjectKindSchema, id: v.pipe(v.string(), v.minLength(1)) });
export type QuotaSubject = v.InferOutput<typeof QuotaSubjectSchema>;

/** Windows the 60-bucket sliding counter supports; each is 60 buckets of window/60 seconds. */
export const RATE_WINDOWS_SECONDS = [60, 300, 3600, 18000, 86400, 604800] as const;

export const RateLimitRuleSchema = v.object({
  surface: SurfaceSchema,
  metric: v.picklist(["requests", "tokens"]),
  windowSeconds: v.pipe(
    v.number(),
    v.check(
      (n) => (RATE_WINDOWS_SECONDS as readonly number[]).includes(n),
      "window must be 60, 300, 3600, 18000, 86400 or 604800 seconds",
    ),
  ),
  limit: v.pipe(v.number(), v.integer(), v.minValue(0)),
  enabled: v.optional(v.boolean(), true),
});
export type RateLimitRule = v.InferOutput<typeof RateLimitRuleSchema>;

export const QuotaCheck = requestContract(
  "quota.v1.check",
  v.object({
    surface: SurfaceSchema,
    subjects: v.array(QuotaSubjectSchema),
    requestId: v.string(),
  }),
  v.object({
    allowed: v.boolean(),
    /** Set when refused: which rule, e.g. `api_key:requests/1m`. */
    rejectedBy: v.optional(
      v.object({ label: v.string(), limit: v.number(), windowSeconds: v.number(), retryAfterSeconds: v.number() }),
    ),
  }),
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

/** Core NATS broadcast so every quota replica reloads the rules of a subject. */
export const QuotaRulesChanged = eventContract("quota.v1.rules.changed", v.object({ subject: QuotaSubjectSchema }));
