/** Keeps the current ModelRouter in step with the `routing` read-model in the config KV bucket. */
import type { ConfigStore } from "@thinkwatch/bus";
import type { Keyring } from "@thinkwatch/crypto";
import type { Logger } from "@thinkwatch/log";
import { CONFIG_KEYS } from "@thinkwatch/proto";
import { createModelRouter, type ModelRouter } from "./model-router.js";

export interface RoutingHolder {
  current(): ModelRouter;
  stop(): void;
}

export async function watchRouting(store: ConfigStore, keyring: Keyring, log: Logger): Promise<RoutingHolder> {
  const onSecretError = (provider: string, error: unknown) =>
    log.error(
      { err: error, provider },
      "cannot decrypt a provider API key (is ENCRYPTION_KEY the one admin-api used?); provider skipped",
    );
  let router = createModelRouter({ revision: 0, providers: [], models: [] }, keyring, onSecretError);
  const watcher = await store.watch(CONFIG_KEYS.routing, (table) => {
    router = createModelRouter(table, keyring, onSecretError);
    log.info({ revision: table.revision, providers: router.providerCount() }, "routing table loaded");
  });
  return { current: () => router, stop: () => watcher.stop() };
}
