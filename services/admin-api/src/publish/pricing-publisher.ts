/**
 * Compile the `pricing` read-model — the shipped default table with admin overrides on top — into the config KV,
 * where every ai-proxy replica prices requests from it.
 */
import type { ConfigStore } from "@thinkwatch/bus";
import { CONFIG_KEYS, type ModelPrice, type PricingTable } from "@thinkwatch/proto";
import { DEFAULT_PRICES } from "../pricing/default-prices.js";
import type { PricingStore } from "../pricing/pricing-store.js";

export interface EffectivePrice extends ModelPrice {
  model: string;
  source: "default" | "override";
}

export interface PricingPublisher {
  effective(): Promise<EffectivePrice[]>;
  publish(): Promise<PricingTable>;
}

export function createPricingPublisher(store: PricingStore, config: ConfigStore): PricingPublisher {
  let lastRevision = 0;
  const effective = async (): Promise<EffectivePrice[]> => {
    const merged = new Map<string, EffectivePrice>();
    for (const [model, price] of DEFAULT_PRICES) merged.set(model, { model, ...price, source: "default" });
    for (const override of await store.list()) merged.set(override.model, { ...override, source: "override" });
    return [...merged.values()].sort((a, b) => a.model.localeCompare(b.model));
  };
  return {
    effective,
    async publish() {
      const models: PricingTable["models"] = {};
      for (const { model, source: _source, ...price } of await effective()) models[model] = price;
      lastRevision = Math.max(Date.now(), lastRevision + 1);
      const table: PricingTable = { revision: lastRevision, models };
      await config.put(CONFIG_KEYS.pricing, table);
      return table;
    },
  };
}
