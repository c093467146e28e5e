/** Keeps the current ModelRouter in step with the `routing` read-model in the config KV bucket. */
import type { ConfigStore } from "@thinkwatch/bus";
import type { Keyring } from "@thinkwatch/crypto";
import type { Logger } from "@thinkwatch/log";
import { CONFIG_KEYS } from "@thinkwatch/proto";
import { createModelRouter, type DegradedProvider, type ModelRouter } from "./model-router.js";

export interface RoutingHolder {
  current(): ModelRouter;
  stop(): void;
}

export async function watchRouting(store: ConfigStore, keyring: Keyring, log: Logger): Promise<RoutingHolder> {
  const onSecretError = (provider: DegradedProvider, error: unknown) =>
    log.error(
      { err: error, providerId: provider.id, provider: provider.name, reason: provider.reason },
      "provider degraded: cannot decrypt its secrets (is ENCRYPTION_KEY or ENCRYPTION_PREVIOUS_KEYS the one admin-api used?)",
    );
  let router = createModelRouter({ revision: 0, providers: [], models: [] }, keyring, onSecretError);
  const watcher = await store.watch(CONFIG_KEYS.routing, (table) => {
    router = createModelRouter(table, keyring, onSecretError);
    log.info(
      { revision: table.revision, providers: router.providerCount(), degraded: router.degradedProviders().length },
      "routing table loaded",
    );
  });
  return { current: () => router, stop: () => watcher.stop() };
}
