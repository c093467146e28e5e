/**
 * Keeps the current price table in step with the `pricing` read-model admin-api publishes in the config KV. Lookups
 * are remembered per model name until the table changes, so pricing a request is one map read.
 */
import type { ConfigStore } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { CONFIG_KEYS, type ModelPrice, type PricingTable } from "@thinkwatch/proto";
import { priceOf } from "./model-cost.js";

export interface PricingHolder {
  current(): PricingTable;
  /** The price of the model a client named (or, failing that, the upstream's name for it). */
  priceOf(model: string, upstreamModel: string): ModelPrice;
  stop(): void;
}

const MAX_REMEMBERED = 10_000;

export async function watchPricing(store: ConfigStore, log: Logger): Promise<PricingHolder> {
  let table: PricingTable = { revision: 0, models: {} };
  let remembered = new Map<string, ModelPrice>();
  const watcher = await store.watch(CONFIG_KEYS.pricing, (next) => {
    table = next;
    remembered = new Map();
    log.info({ revision: next.revision, models: Object.keys(next.models).length }, "price table loaded");
  });
  return {
    current: () => table,
    priceOf(model, upstreamModel) {
      const key = `${model}\u0000${upstreamModel}`;
      let price = remembered.get(key);
      if (price === undefined) {
        price = priceOf(table, model, upstreamModel);
        // Model names come from callers: bound the memory they can take.
        if (remembered.size < MAX_REMEMBERED) remembered.set(key, price);
      }
      return price;
    },
    stop: () => watcher.stop(),
  };
}
