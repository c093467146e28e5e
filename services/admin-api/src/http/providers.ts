/**
 * /api/admin/providers: create, list, update (PATCH) and soft delete (models and their routes: models.ts). Every
 * change republishes the routing table. Secrets are write-only: reads show hints and names, never values.
 */
import {
  CreateProviderRequestSchema,
  type Provider,
  ProviderListResponseSchema,
  ProviderResponseSchema,
  UpdateProviderRequestSchema,
} from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import * as v from "valibot";
import type { AdminDeps } from "../deps.js";
import type { ModelRecord } from "../providers/model-store.js";
import { checkProviderShape } from "../providers/provider-input.js";
import { encryptSecretHeaders, providerSecretView } from "../providers/provider-secrets.js";
import type { ProviderChanges, ProviderRecord } from "../providers/provider-store.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";

const IdParam = v.pipe(v.string(), v.uuid("id must be a UUID"));

export function registerProviderRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  const view = (provider: ProviderRecord, models: ModelRecord[]): Provider => ({
    id: provider.id,
    name: provider.name,
    kind: provider.kind,
    baseUrl: provider.baseUrl,
    ...providerSecretView(provider, deps.keyring),
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
  });
  const egressPolicy = async () => ({ allowPrivate: deps.liveSettings.current().security.allowPrivateUpstreams });
  const auditChange = (c: Parameters<typeof requestActor>[0], action: string, provider: ProviderRecord, before?: unknown) =>
    deps.audit.record({
      category: "admin",
      action,
      actor: requestActor(c),
      target: { kind: "provider", id: provider.id, name: provider.name },
      ...(before === undefined ? {} : { before }),
      after: { name: provider.name, baseUrl: provider.baseUrl, isActive: provider.isActive, settings: provider.settings },
      requestId: c.get("requestId"),
    });

  router.route(
    "GET",
    "/api/admin/providers",
    "providers:read",
    async (c) => {
      const [providers, models] = await Promise.all([deps.providers.listProviders(), deps.models.listModels()]);
      return c.json({ providers: providers.map((p) => view(p, models)) });
    },
    { summary: "List providers with their models", response: ProviderListResponseSchema },
  );

  router.route(
    "POST",
    "/api/admin/providers",
    "providers:write",
    async (c) => {
      const input = await readRouteBody(c, CreateProviderRequestSchema);
      const { baseUrl } = checkProviderShape(
        {
          kind: input.kind,
          baseUrl: input.baseUrl,
          hasApiKey: input.apiKey !== undefined,
          settings: input.settings,
          secretHeaders: input.secretHeaders,
        },
        await egressPolicy(),
      );
      const { provider, models } = await deps.providers.createProvider(
        {
          name: input.name,
          kind: input.kind,
          baseUrl,
          apiKeyEncrypted: input.apiKey === undefined ? null : deps.keyring.encrypt(input.apiKey),
          settings: input.settings,
          secretHeadersEncrypted: encryptSecretHeaders(deps.keyring, input.secretHeaders ?? null),
          isActive: true,
        },
        input.models.map((entry) => ({ modelId: entry.model, upstreamModel: entry.upstreamModel ?? entry.model })),
      );
      await deps.routing.publish();
      auditChange(c, "provider.created", provider);
      return c.json({ provider: view(provider, models) }, 201);
    },
    {
      summary: "Create a provider",
      body: CreateProviderRequestSchema,
      response: ProviderResponseSchema,
      status: 201,
    },
  );

  router.route(
    "PATCH",
    "/api/admin/providers/:id",
    "providers:write",
    async (c) => {
      const id = validate(IdParam, c.req.param("id"));
      const input = await readRouteBody(c, UpdateProviderRequestSchema);
      const current = await deps.providers.findProvider(id);
      if (current === null) throw new AppError("not_found", `no provider with id ${id}`);
      // Secret headers are checked as a whole; keep the stored ones when the update does not replace them.
      const secretHeaders =
        input.secretHeaders !== undefined ? input.secretHeaders : current.secretHeadersEncrypted === null ? null : undefined;
      const { baseUrl } = checkProviderShape(
        {
          kind: current.kind,
          baseUrl: input.baseUrl ?? current.baseUrl,
          hasApiKey: input.apiKey === undefined ? current.apiKeyEncrypted !== null : input.apiKey !== null,
          settings: input.settings ?? current.settings,
          secretHeaders,
        },
        await egressPolicy(),
      );
      const changes: ProviderChanges = { baseUrl };
      if (input.name !== undefined) changes.name = input.name;
      if (input.settings !== undefined) changes.settings = input.settings;
      if (input.isActive !== undefined) changes.isActive = input.isActive;
      if (input.apiKey !== undefined) changes.apiKeyEncrypted = input.apiKey === null ? null : deps.keyring.encrypt(input.apiKey);
      if (input.secretHeaders !== undefined)
        changes.secretHeadersEncrypted = encryptSecretHeaders(deps.keyring, input.secretHeaders);
      const updated = await deps.providers.updateProvider(id, changes);
      if (updated === null) throw new AppError("not_found", `no provider with id ${id}`);
      await deps.routing.publish();
      auditChange(c, "provider.updated", updated, {
        name: current.name,
        baseUrl: current.baseUrl,
        isActive: current.isActive,
        settings: current.settings,
      });
      return c.json({ provider: view(updated, await deps.models.listModels()) });
    },
    { summary: "Change a provider", body: UpdateProviderRequestSchema, response: ProviderResponseSchema },
  );

  router.route(
    "DELETE",
    "/api/admin/providers/:id",
    "providers:write",
    async (c) => {
      const id = validate(IdParam, c.req.param("id"));
      const current = await deps.providers.findProvider(id);
      if (current === null || !(await deps.providers.softDeleteProvider(id))) {
        throw new AppError("not_found", `no provider with id ${id}`);
      }
      await deps.routing.publish();
      deps.audit.record({
        category: "admin",
        action: "provider.deleted",
        actor: requestActor(c),
        target: { kind: "provider", id, name: current.name },
        requestId: c.get("requestId"),
      });
      return c.body(null, 204);
    },
    { summary: "Soft-delete a provider (purged after 30 days)", status: 204 },
  );
}
