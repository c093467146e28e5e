/**
 * Owned by admin-api: per-model prices and quota multipliers that override the shipped default price table. Kept
 * apart from the `models` (routes) table: a price belongs to a model name, whichever route serves it.
 */
import { doublePrecision, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const modelPricing = pgTable("model_pricing", {
  /** The model name clients send (`gpt-4o`); a dated variant without its own row uses the longest matching prefix. */
  model: text("model").primaryKey(),
  inputPerMTok: doublePrecision("input_per_mtok").notNull(),
  outputPerMTok: doublePrecision("output_per_mtok").notNull(),
  cachedInputPerMTok: doublePrecision("cached_input_per_mtok"),
  inputMultiplier: doublePrecision("input_multiplier").notNull().default(1),
  outputMultiplier: doublePrecision("output_multiplier").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
