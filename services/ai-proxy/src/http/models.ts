/**
 * GET /v1/models: the models this key may use right now — registered models plus, for providers that publish a list
 * (openai, anthropic, gemini), the upstream's own models that route to that provider (cached, see model-catalog.ts),
 * narrowed to the key's allow-list patterns (allow-listed exact names that route by prefix are included too). OpenAI's
 * list shape, or Anthropic's when the client sends `anthropic-version`.
 */
import { toAppError } from "@thinkwatch/errors";
import { allowedByPatterns } from "@thinkwatch/gateway-auth";
import type { AppEnv } from "@thinkwatch/http";
import type { Hono } from "hono";
import { authenticate } from "../auth/admit.js";
import type { GatewayDeps } from "../deps.js";
import { errorResponse } from "../pipeline/inbound-api.js";

export function registerModelRoutes(app: Hono<AppEnv>, deps: GatewayDeps): void {
  app.get("/v1/models", async (c) => {
    const anthropic = c.req.header("anthropic-version") !== undefined;
    try {
      const key = await authenticate(deps, c);
      const router = deps.router();
      const available = new Map<string, string>();
      for (const { model, provider } of router.registeredModels()) available.set(model, provider.name);
      const providers = router.providers();
      const lists = await deps.modelCatalog.lists(providers);
      for (const provider of providers) {
        for (const name of lists.get(provider.id) ?? []) {
          // Only names a request would actually route to this provider (a registered alias may send it elsewhere).
          if (!available.has(name) && router.resolve(name)?.routes[0]?.provider.id === provider.id)
            available.set(name, provider.name);
        }
      }
      if (key.allowedModels !== null) {
        for (const name of [...available.keys()]) if (!allowedByPatterns(key.allowedModels, name)) available.delete(name);
        // Exact names (not patterns) that route by prefix are usable too, so they are listed.
        for (const name of key.allowedModels) {
          if (name.includes("*")) continue;
          const route = router.resolve(name)?.routes[0];
          if (route !== undefined) available.set(name, route.provider.name);
        }
      }
      const models = [...available.entries()].sort(([a], [b]) => a.localeCompare(b));
      const created = Math.floor(router.revision() / 1000);
      if (anthropic) {
        const data = models.map(([id]) => ({
          type: "model",
          id,
          display_name: id,
          created_at: new Date(router.revision()).toISOString(),
        }));
        return c.json({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
      }
      return c.json({ object: "list", data: models.map(([id, owner]) => ({ id, object: "model", created, owned_by: owner })) });
    } catch (caught) {
      return errorResponse(anthropic ? "anthropic_messages" : "openai_chat", toAppError(caught), c.get("requestId"));
    }
  });
}
