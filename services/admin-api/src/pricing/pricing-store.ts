/** model_pricing in PostgreSQL: an admin's price and multipliers per model name, overriding the shipped table. */
import { type Database, tables } from "@thinkwatch/db";
import type { ModelPrice } from "@thinkwatch/proto";
import { asc, eq } from "drizzle-orm";

export interface PricingOverride extends ModelPrice {
  model: string;
}

export interface PricingStore {
  list(): Promise<PricingOverride[]>;
  find(model: string): Promise<PricingOverride | null>;
  upsert(override: PricingOverride): Promise<PricingOverride>;
  /** True when an override existed. */
  remove(model: string): Promise<boolean>;
}

export function createPostgresPricingStore(db: Database): PricingStore {
  const { modelPricing } = tables;
  const toOverride = (row: typeof modelPricing.$inferSelect): PricingOverride => ({
    model: row.model,
    inputPerMTok: row.inputPerMTok,
    outputPerMTok: row.outputPerMTok,
    cachedInputPerMTok: row.cachedInputPerMTok,
    inputMultiplier: row.inputMultiplier,
    outputMultiplier: row.outputMultiplier,
  });
  return {
    list: async () => (await db.select().from(modelPricing).orderBy(asc(modelPricing.model))).map(toOverride),
    async find(model) {
      const [row] = await db.select().from(modelPricing).where(eq(modelPricing.model, model));
      return row === undefined ? null : toOverride(row);
    },
    async upsert(override) {
      const values = { ...override, updatedAt: new Date() };
      const [row] = await db
        .insert(modelPricing)
        .values(values)
        .onConflictDoUpdate({ target: modelPricing.model, set: values })
        .returning();
      return toOverride(row as typeof modelPricing.$inferSelect);
    },
    async remove(model) {
      const deleted = await db.delete(modelPricing).where(eq(modelPricing.model, model)).returning();
      return deleted.length > 0;
    },
  };
}
