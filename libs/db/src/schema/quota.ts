/** Tables owned by quota. Counters live in Redis; these are the rules that drive them. */
import { bigint, boolean, doublePrecision, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const rateLimitRules = pgTable(
  "rate_limit_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** user | api_key | provider | mcp_server | team */
    subjectKind: text("subject_kind").notNull(),
    subjectId: text("subject_id").notNull(),
    /** ai_gateway | mcp_gateway */
    surface: text("surface").notNull(),
    /** requests | tokens */
    metric: text("metric").notNull(),
    windowSeconds: integer("window_seconds").notNull(),
    maxCount: bigint("max_count", { mode: "number" }).notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** After this instant the rule no longer applies; null: never. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    reason: text("reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("rate_limit_rules_subject_rule_idx").on(
      table.subjectKind,
      table.subjectId,
      table.surface,
      table.metric,
      table.windowSeconds,
    ),
  ],
);

/** Natural-period budget caps: a subject's spend per day / ISO week / month, in weighted tokens or USD. */
export const budgetCaps = pgTable(
  "budget_caps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    subjectKind: text("subject_kind").notNull(),
    subjectId: text("subject_id").notNull(),
    /** daily | weekly | monthly */
    period: text("period").notNull(),
    /** tokens | usd */
    unit: text("unit").notNull(),
    limitValue: doublePrecision("limit_value").notNull(),
    timezone: text("timezone").notNull().default("UTC"),
    enabled: boolean("enabled").notNull().default(true),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    reason: text("reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("budget_caps_subject_period_idx").on(table.subjectKind, table.subjectId, table.period, table.unit)],
);
