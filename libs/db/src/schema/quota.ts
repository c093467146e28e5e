/** Tables owned by quota. Counters live in Redis; these are the rules that drive them. */
import { bigint, boolean, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

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
