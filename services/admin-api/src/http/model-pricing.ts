/**
 * Model prices and quota multipliers on the model API: `GET /api/admin/model-pricing` (every priced model, shipped
 * default or override), `PUT|DELETE /api/admin/models/{model}/pricing` (set an override / go back to the default).
 * Every change republishes the `pricing` read-model the gateway prices requests from.
 */
import { ModelNameSchema, ModelPricingBodySchema } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import * as v from "valibot";
import type { AdminDeps } from "../deps.js";
import { DEFAULT_PRICES } from "../pricing/default-prices.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";

const ModelParamSchema = v.object({ model: ModelNameSchema });

export function registerModelPricingRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  const current = async (model: string) => (await deps.pricing.effective()).find((p) => p.model === model) ?? null;

  router.route("GET", "/api/admin/model-pricing", "models:read", async (c) => c.json({ models: await deps.pricing.effective() }));

  router.route("PUT", "/api/admin/models/:model/pricing", "models:write", { body: ModelPricingBodySchema }, async (c) => {
    const { model } = validate(ModelParamSchema, { model: c.req.param("model") });
    const body = await readRouteBody(c, ModelPricingBodySchema);
    const before = await current(model);
    await deps.pricingStore.upsert({ model, ...body });
    await deps.pricing.publish();
    const after = await current(model);
    deps.audit.record({
      category: "admin",
      action: "model_pricing.updated",
      actor: requestActor(c),
      target: { kind: "model", id: model, name: model },
      before,
      after,
      requestId: c.get("requestId"),
    });
    return c.json({ pricing: after });
  });

  router.route("DELETE", "/api/admin/models/:model/pricing", "models:write", async (c) => {
    const { model } = validate(ModelParamSchema, { model: c.req.param("model") });
    const before = await current(model);
    if (!(await deps.pricingStore.remove(model))) {
      throw new AppError(
        "not_found",
        DEFAULT_PRICES.has(model)
          ? `the model '${model}' already uses its default price`
          : `no price is set for the model '${model}'`,
      );
    }
    await deps.pricing.publish();
    const after = await current(model);
    deps.audit.record({
      category: "admin",
      action: "model_pricing.reset",
      actor: requestActor(c),
      target: { kind: "model", id: model, name: model },
      before,
      after,
      requestId: c.get("requestId"),
    });
    return c.json({ pricing: after });
  });
}
