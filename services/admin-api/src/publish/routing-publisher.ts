/**
 * Compile the routing read-model (active providers with their encrypted secrets, active models with their enabled
 * routes to active providers, whether setup is done) and put it into the config KV bucket, where every ai-proxy
 * replica picks it up within a second.
 */
import type { ConfigStore } from "@thinkwatch/bus";
import { CONFIG_KEYS, type RoutingTable } from "@thinkwatch/proto";
import type { ModelStore } from "../providers/model-store.js";
import type { ProviderStore } from "../providers/provider-store.js";

export interface RoutingPublisher {
  publish(): Promise<RoutingTable>;
}

export function createRoutingPublisher(
  providers: ProviderStore,
  models: ModelStore,
  config: ConfigStore,
  setupComplete: () => Promise<boolean>,
): RoutingPublisher {
  let lastRevision = 0;
  return {
    async publish() {
      const [providerRows, modelRows, initialized] = await Promise.all([
        providers.listProviders(),
        models.listModels(),
        setupComplete(),
      ]);
      const active = providerRows.filter((p) => p.isActive);
      const activeIds = new Set(active.map((p) => p.id));
      // Revisions only grow, even when two publishes land in the same millisecond.
      lastRevision = Math.max(Date.now(), lastRevision + 1);
      const routed = modelRows
        .filter((m) => m.isActive)
        .map((m) => ({
          model: m.modelId,
          routes: m.routes
            .filter((r) => r.enabled && activeIds.has(r.providerId))
            .map((r) => ({
              id: r.id,
              providerId: r.providerId,
              upstreamModel: r.upstreamModel,
              weight: r.weight,
              priority: r.priority,
              rpmLimit: r.rpmLimit,
              tpmLimit: r.tpmLimit,
            })),
        }))
        .filter((m) => m.routes.length > 0);
      const table: RoutingTable = {
        revision: lastRevision,
        providers: active.map((p) => ({
          id: p.id,
          name: p.name,
          kind: p.kind,
          baseUrl: p.baseUrl,
          apiKeyEncrypted: p.apiKeyEncrypted,
          settings: p.settings,
          secretHeadersEncrypted: p.secretHeadersEncrypted,
        })),
        models: routed,
        setupComplete: initialized,
      };
      await config.put(CONFIG_KEYS.routing, table);
      return table;
    },
  };
}
