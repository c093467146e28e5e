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
  // Client model name → upstream model name → price: two reads of names the request already holds, no key built.
  let remembered = new Map<string, Map<string, ModelPrice>>();
  let rememberedCount = 0;
  const watcher = await store.watch(CONFIG_KEYS.pricing, (next) => {
    table = next;
    remembered = new Map();
    rememberedCount = 0;
    log.info({ revision: next.revision, models: Object.keys(next.models).length }, "price table loaded");
  });
  return {
    current: () => table,
    priceOf(model, upstreamModel) {
      const byUpstream = remembered.get(model);
      let price = byUpstream?.get(upstreamModel);
      if (price === undefined) {
        price = priceOf(table, model, upstreamModel);
        // Model names come from callers: bound the memory they can take.
        if (rememberedCount < MAX_REMEMBERED) {
          if (byUpstream === undefined) remembered.set(model, new Map([[upstreamModel, price]]));
          else byUpstream.set(upstreamModel, price);
          rememberedCount += 1;
        }
      }
      return price;
    },
    stop: () => watcher.stop(),
  };
}
