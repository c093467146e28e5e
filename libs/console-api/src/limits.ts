/**
 * Limits (rate-limit rules and budget caps per subject) and model prices on the console API. The rule and budget
 * shapes are quota's own contract (proto), so the console, admin-api and quota can never disagree on them.
 */
import {
  BudgetCapSchema,
  BudgetUsageSchema,
  QuotaSubjectKindSchema,
  RateLimitRuleSchema,
  RuleUsageSchema,
} from "@thinkwatch/proto";
import * as v from "valibot";

export { BudgetCapSchema, QuotaSubjectKindSchema, RateLimitRuleSchema };

export const LimitSubjectParamsSchema = v.object({
  kind: QuotaSubjectKindSchema,
  id: v.pipe(v.string(), v.minLength(1, "id is required"), v.maxLength(200, "id is at most 200 characters")),
});
export type LimitSubjectParams = v.InferOutput<typeof LimitSubjectParamsSchema>;

const MAX_PER_SUBJECT = 50;

export const ReplaceRulesBodySchema = v.object({
  rules: v.pipe(v.array(RateLimitRuleSchema, "rules must be a list"), v.maxLength(MAX_PER_SUBJECT)),
});
export const ReplaceBudgetsBodySchema = v.object({
  budgets: v.pipe(v.array(BudgetCapSchema, "budgets must be a list"), v.maxLength(MAX_PER_SUBJECT)),
});

/** The same rules and/or budgets set on many subjects at once (e.g. every developer). */
export const BulkLimitsBodySchema = v.pipe(
  v.object({
    subjects: v.pipe(
      v.array(LimitSubjectParamsSchema, "subjects must be a list"),
      v.minLength(1, "name at least one subject"),
      v.maxLength(500, "at most 500 subjects per call"),
    ),
    rules: v.optional(v.pipe(v.array(RateLimitRuleSchema), v.maxLength(MAX_PER_SUBJECT))),
    budgets: v.optional(v.pipe(v.array(BudgetCapSchema), v.maxLength(MAX_PER_SUBJECT))),
  }),
  v.check((body) => body.rules !== undefined || body.budgets !== undefined, "give rules, budgets or both"),
);
export type BulkLimitsBody = v.InferOutput<typeof BulkLimitsBodySchema>;

export const RulesResponseSchema = v.object({ rules: v.array(RateLimitRuleSchema) });
export const BudgetsResponseSchema = v.object({ budgets: v.array(BudgetCapSchema) });
export const LimitUsageResponseSchema = v.object({
  subject: LimitSubjectParamsSchema,
  rules: v.array(RuleUsageSchema),
  budgets: v.array(BudgetUsageSchema),
});
export type LimitUsageResponse = v.InferOutput<typeof LimitUsageResponseSchema>;
export const LimitSubjectsResponseSchema = v.object({
  subjects: v.array(v.object({ subject: LimitSubjectParamsSchema, rules: v.number(), budgets: v.number() })),
});
export type LimitSubjectsResponse = v.InferOutput<typeof LimitSubjectsResponseSchema>;

const Price = (what: string) =>
  v.pipe(v.number(`${what} must be a number`), v.minValue(0, `${what} must be ≥ 0`), v.maxValue(1_000_000));
const Multiplier = (what: string) =>
  v.pipe(v.number(`${what} must be a number`), v.minValue(0, `${what} must be ≥ 0`), v.maxValue(1000));

/** An admin's price for one model: USD per million tokens, and the quota multipliers (1.0 = raw tokens). */
export const ModelPricingBodySchema = v.object({
  inputPerMTok: Price("inputPerMTok"),
  outputPerMTok: Price("outputPerMTok"),
  cachedInputPerMTok: v.optional(v.nullable(Price("cachedInputPerMTok")), null),
  inputMultiplier: v.optional(Multiplier("inputMultiplier"), 1),
  outputMultiplier: v.optional(Multiplier("outputMultiplier"), 1),
});
export type ModelPricingBody = v.InferOutput<typeof ModelPricingBodySchema>;

export const ModelPricingSchema = v.object({
  model: v.string(),
  inputPerMTok: v.number(),
  outputPerMTok: v.number(),
  cachedInputPerMTok: v.nullable(v.number()),
  inputMultiplier: v.number(),
  outputMultiplier: v.number(),
  /** `default`: the shipped table; `override`: set by an admin. */
  source: v.picklist(["default", "override"]),
});
export type ModelPricing = v.InferOutput<typeof ModelPricingSchema>;
export const ModelPricingListSchema = v.object({ models: v.array(ModelPricingSchema) });

export const ModelNameSchema = v.pipe(
  v.string(),
  v.minLength(1, "model is required"),
  v.maxLength(200, "model is at most 200 characters"),
  v.regex(/^[A-Za-z0-9._:/@-]+$/, "model may hold letters, digits and . _ : / @ -"),
);

/** What a client sends for one rule / budget (optional fields may be left out). */
export type RateLimitRuleInput = v.InferInput<typeof RateLimitRuleSchema>;
export type BudgetCapInput = v.InferInput<typeof BudgetCapSchema>;
export type { BudgetCap, RateLimitRule } from "@thinkwatch/proto";
