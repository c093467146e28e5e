/** /api/admin/providers and /api/admin/models: create and list; every change republishes the routing table. */
import {
  CreateModelRequestSchema,
  CreateProviderRequestSchema,
  type Provider,
  type ProviderModel,
} from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { readValidatedJson } from "@thinkwatch/http";
import type { AdminDeps } from "../deps.js";
import { resolveProviderInput } from "../providers/provider-input.js";
import type { ModelRecord, ProviderRecord } from "../providers/provider-store.js";
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
    models: models.filter((m) => m.providerId === provider.id).map(modelView),
  };
}

function modelView(model: ModelRecord): ProviderModel {
  return {
    id: model.id,
    model: model.modelId,
    providerId: model.providerId,
    upstreamModel: model.upstreamModel,
    isActive: model.isActive,
  };
}

export function registerProviderRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/admin/providers", "providers:read", async (c) => {
    const [providers, models] = await Promise.all([deps.providers.listProviders(), deps.providers.listModels()]);
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

  router.route("GET", "/api/admin/models", "models:read", async (c) => {
    return c.json({ models: (await deps.providers.listModels()).map(modelView) });
  });

  router.route("POST", "/api/admin/models", "models:write", async (c) => {
    const input = await readValidatedJson(c, CreateModelRequestSchema);
    if ((await deps.providers.findProvider(input.providerId)) === null) {
      throw new AppError("not_found", `no provider with id ${input.providerId}`);
    }
    const model = await deps.providers.createModel({
      modelId: input.model,
      providerId: input.providerId,
      upstreamModel: input.upstreamModel ?? input.model,
      isActive: true,
    });
    await deps.routing.publish();
    return c.json({ model: modelView(model) }, 201);
  });
}
