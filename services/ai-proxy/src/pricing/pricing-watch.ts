/** Keeps the current price table in step with the `pricing` read-model admin-api publishes in the config KV. */
import type { ConfigStore } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { CONFIG_KEYS, type PricingTable } from "@thinkwatch/proto";

export interface PricingHolder {
  current(): PricingTable;
  stop(): void;
}

export async function watchPricing(store: ConfigStore, log: Logger): Promise<PricingHolder> {
  let table: PricingTable = { revision: 0, models: {} };
  const watcher = await store.watch(CONFIG_KEYS.pricing, (next) => {
    table = next;
    log.info({ revision: next.revision, models: Object.keys(next.models).length }, "price table loaded");
  });
  return { current: () => table, stop: () => watcher.stop() };
}
