/** Keeps the current ModelRouter in step with the `routing` read-model in the config KV bucket. */
import type { ConfigStore } from "@thinkwatch/bus";
import type { Keyring } from "@thinkwatch/crypto";
import type { Logger } from "@thinkwatch/log";
import { CONFIG_KEYS } from "@thinkwatch/proto";
import { createModelRouter, type DegradedProvider, type ModelRouter } from "./model-router.js";

export interface RoutingHolder {
  current(): ModelRouter;
  /** The last table said the first admin exists (readiness then needs a usable provider). */
  setupComplete(): boolean;
  stop(): void;
}

export async function watchRouting(store: ConfigStore, keyring: Keyring, log: Logger): Promise<RoutingHolder> {
  const onSecretError = (provider: DegradedProvider, error: unknown) =>
    log.error(
      { err: error, providerId: provider.id, provider: provider.name, reason: provider.reason },
      "provider degraded: cannot decrypt its secrets (is ENCRYPTION_KEY or ENCRYPTION_PREVIOUS_KEYS the one admin-api used?)",
    );
  let router = createModelRouter({ revision: 0, providers: [], models: [], setupComplete: false }, keyring, onSecretError);
  let setupComplete = false;
  const watcher = await store.watch(CONFIG_KEYS.routing, (table) => {
    router = createModelRouter(table, keyring, onSecretError);
    setupComplete = table.setupComplete;
    log.info(
      { revision: table.revision, providers: router.providerCount(), degraded: router.degradedProviders().length },
      "routing table loaded",
    );
  });
  return { current: () => router, setupComplete: () => setupComplete, stop: () => watcher.stop() };
}
