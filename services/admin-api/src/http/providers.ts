/** /api/admin/providers: create and list; every change republishes the routing table. */
import { CreateProviderRequestSchema, type Provider } from "@thinkwatch/console-api";
import { readValidatedJson } from "@thinkwatch/http";
import type { AdminDeps } from "../deps.js";
import type { ModelRecord } from "../providers/model-store.js";
import { resolveProviderInput } from "../providers/provider-input.js";
import type { ProviderRecord } from "../providers/provider-store.js";
import type { ConsoleRouter } from "./console-router.js";

function providerView(provider: ProviderRecord, models: ModelRecord[]): Provider {
  return {
    id: provider.id,
    name: provider.name,
    kind: provider.kind,
    baseUrl: provider.baseUrl,
    hasApiKey: provider.apiKeyEncrypted !== null,
    settings: provider.settings,
    isActive: provider.isActive,
    createdAt: provider.createdAt.toISOString(),
    // The models this provider serves, each with the upstream name of its route here.
    models: models.flatMap((m) =>
      m.routes
        .filter((r) => r.providerId === provider.id)
        .map((r) => ({
          id: m.id,
          model: m.modelId,
          providerId: provider.id,
          upstreamModel: r.upstreamModel,
          isActive: m.isActive,
        })),
    ),
  };
}

export function registerProviderRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/admin/providers", "providers:read", async (c) => {
    const [providers, models] = await Promise.all([deps.providers.listProviders(), deps.models.listModels()]);
    return c.json({ providers: providers.map((p) => providerView(p, models)) });
  });

  router.route("POST", "/api/admin/providers", "providers:write", async (c) => {
    const input = await readValidatedJson(c, CreateProviderRequestSchema);
    const { baseUrl } = resolveProviderInput(input);
    const { provider, models } = await deps.providers.createProvider(
      {
        name: input.name,
        kind: input.kind,
        baseUrl,
        apiKeyEncrypted: input.apiKey === undefined ? null : deps.keyring.encrypt(input.apiKey),
        settings: input.settings,
        isActive: true,
      },
      input.models.map((entry) => ({ modelId: entry.model, upstreamModel: entry.upstreamModel ?? entry.model })),
    );
    await deps.routing.publish();
    return c.json({ provider: providerView(provider, models) }, 201);
  });
}
