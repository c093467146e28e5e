/**
 * /api/admin/models: models and their routes — create (single-provider form or `routes`), list with each route's
 * live breaker state, replace routes / toggle, soft delete. Every change is audited and republishes the routing table.
 */
import {
  CreateModelSchema,
  type ModelRouteInput,
  type ModelView,
  type RouteHealthView,
  UpdateModelSchema,
} from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { type RouteHealth, RouteHealthQuery } from "@thinkwatch/proto";
import type { Context } from "hono";
import * as v from "valibot";
import type { AdminDeps } from "../deps.js";
import type { ModelRecord, RouteInput } from "../providers/model-store.js";
import type { ConsoleEnv, ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";

/** How long the list waits for an ai-proxy to report breaker state before showing "unknown". */
const HEALTH_TIMEOUT_MS = 1000;

const UNKNOWN_HEALTH: RouteHealthView = {
  state: "unknown",
  failures: 0,
  requests: 0,
  openedAt: null,
  requestsThisMinute: 0,
  tokensThisMinute: 0,
};

function modelView(model: ModelRecord, providerNames: Map<string, string>, health?: Map<string, RouteHealth>): ModelView {
  const first = model.routes[0];
  return {
    id: model.id,
    model: model.modelId,
    providerId: first?.providerId ?? "",
    upstreamModel: first?.upstreamModel ?? model.modelId,
    isActive: model.isActive,
    routes: model.routes.map((route) => {
      const seen = health?.get(route.id);
      return {
        ...route,
        providerName: providerNames.get(route.providerId) ?? null,
        ...(health === undefined
          ? {}
          : {
              health:
                seen === undefined
                  ? UNKNOWN_HEALTH
                  : { ...seen, openedAt: seen.openedAt === null ? null : new Date(seen.openedAt).toISOString() },
            }),
      };
    }),
  };
}

async function providerNames(deps: AdminDeps): Promise<Map<string, string>> {
  return new Map((await deps.providers.listProviders()).map((p) => [p.id, p.name]));
}

/** Every route must name an existing provider; the upstream name defaults to the model's. */
async function resolveRoutes(deps: AdminDeps, model: string, routes: ModelRouteInput[]): Promise<RouteInput[]> {
  const known = await providerNames(deps);
  const problems: Record<string, string> = {};
  routes.forEach((route, index) => {
    if (!known.has(route.providerId)) problems[`routes.${index}.providerId`] = `no provider with id ${route.providerId}`;
  });
  if (Object.keys(problems).length > 0) {
    throw new AppError("validation_failed", `invalid routes: ${Object.values(problems).join("; ")}`, {
      details: { fields: problems },
    });
  }
  const resolved = routes.map((route) => ({ ...route, upstreamModel: route.upstreamModel ?? model }));
  const keys = new Set(resolved.map((r) => `${r.providerId} ${r.upstreamModel}`));
  if (keys.size !== resolved.length) {
    throw new AppError("validation_failed", "invalid routes: two routes name the same provider and upstream model", {
      details: { fields: { routes: "two routes name the same provider and upstream model" } },
    });
  }
  return resolved;
}

function modelId(c: Context<ConsoleEnv>): string {
  const id = c.req.param("id");
  if (!v.is(v.pipe(v.string(), v.uuid()), id)) throw new AppError("validation_failed", "model id must be a UUID");
  return id;
}

/** Breaker state of every route, from whichever ai-proxy replica answers (they share it through Redis). */
async function routeHealth(
  deps: AdminDeps,
  routeIds: string[],
  trace: ConsoleEnv["Variables"]["trace"],
): Promise<Map<string, RouteHealth>> {
  if (routeIds.length === 0) return new Map();
  try {
    const reply = await deps.bus.request(RouteHealthQuery, { routeIds }, { trace, timeoutMs: HEALTH_TIMEOUT_MS });
    return new Map(reply.routes.map((r) => [r.routeId, r]));
  } catch (caught) {
    deps.log.warn({ err: caught }, "no ai-proxy reported route health; the Models page shows it as unknown");
    return new Map();
  }
}

export function registerModelRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/admin/models", "models:read", async (c) => {
    const [models, names] = await Promise.all([deps.models.listModels(), providerNames(deps)]);
    const health = await routeHealth(
      deps,
      models.flatMap((m) => m.routes.map((r) => r.id)),
      c.get("trace"),
    );
    return c.json({ models: models.map((m) => modelView(m, names, health)) });
  });

  router.route("GET", "/api/admin/models/:id", "models:read", async (c) => {
    const model = await deps.models.findModel(modelId(c));
    if (model === null) throw new AppError("not_found", `no model with id ${c.req.param("id")}`);
    const health = await routeHealth(
      deps,
      model.routes.map((r) => r.id),
      c.get("trace"),
    );
    return c.json({ model: modelView(model, await providerNames(deps), health) });
  });

  router.route("POST", "/api/admin/models", "models:write", { body: CreateModelSchema }, async (c) => {
    const input = await readRouteBody(c, CreateModelSchema);
    // The single-provider form is one route with the defaults.
    const routes: ModelRouteInput[] = input.routes ?? [
      {
        providerId: input.providerId as string,
        ...(input.upstreamModel === undefined ? {} : { upstreamModel: input.upstreamModel }),
        weight: 1,
        priority: 0,
        enabled: true,
        rpmLimit: null,
        tpmLimit: null,
      },
    ];
    const model = await deps.models.createModel(input.model, await resolveRoutes(deps, input.model, routes));
    await deps.routing.publish();
    const view = modelView(model, await providerNames(deps));
    deps.audit.record({
      category: "admin",
      action: "model.created",
      actor: requestActor(c),
      target: { kind: "model", id: model.id, name: model.modelId },
      after: view,
      requestId: c.get("requestId"),
    });
    return c.json({ model: view }, 201);
  });

  router.route("PATCH", "/api/admin/models/:id", "models:write", { body: UpdateModelSchema }, async (c) => {
    const id = modelId(c);
    const input = await readRouteBody(c, UpdateModelSchema);
    const before = await deps.models.findModel(id);
    if (before === null) throw new AppError("not_found", `no model with id ${id}`);
    const routes = input.routes === undefined ? undefined : await resolveRoutes(deps, before.modelId, input.routes);
    const after = await deps.models.updateModel(id, {
      ...(routes === undefined ? {} : { routes }),
      ...(input.isActive === undefined ? {} : { isActive: input.isActive }),
    });
    await deps.routing.publish();
    const names = await providerNames(deps);
    const view = modelView(after, names);
    deps.audit.record({
      category: "admin",
      action: "model.updated",
      actor: requestActor(c),
      target: { kind: "model", id, name: after.modelId },
      before: modelView(before, names),
      after: view,
      requestId: c.get("requestId"),
    });
    return c.json({ model: view });
  });

  router.route("DELETE", "/api/admin/models/:id", "models:write", async (c) => {
    const id = modelId(c);
    const removed = await deps.models.deleteModel(id);
    await deps.routing.publish();
    deps.audit.record({
      category: "admin",
      action: "model.deleted",
      actor: requestActor(c),
      target: { kind: "model", id, name: removed.modelId },
      before: modelView(removed, await providerNames(deps)),
      requestId: c.get("requestId"),
    });
    return c.body(null, 204);
  });
}
