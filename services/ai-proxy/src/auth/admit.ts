/**
 * Admission, the same for every inbound API: who is calling (virtual key), may this key use this surface and
 * model, and does quota let the request through. Everything here is in-memory except one quota.v1.check.
 */
import type { Bus } from "@thinkwatch/bus";
import { AppError } from "@thinkwatch/errors";
import { allowedByPatterns, authenticateSurface, type KeyVerifier } from "@thinkwatch/gateway-auth";
import type { Logger } from "@thinkwatch/log";
import { type ApiKeyInfo, QuotaCheck } from "@thinkwatch/proto";
import type { ModelRouter, ModelRoutes, Route } from "../routing/model-router.js";

export interface AdmitDeps {
  bus: Bus;
  keys: KeyVerifier;
  router: () => ModelRouter;
  quotaFailOpen: boolean;
  log: Logger;
}

/** Step 1: the caller's key, checked for the AI gateway surface. */
export function authenticate(deps: AdmitDeps, request: Request): Promise<ApiKeyInfo> {
  return authenticateSurface(deps.keys, request, "ai_gateway");
}

/** Step 2: the routes that serve the model, and whether this key may use it. */
export function routeModel(deps: AdmitDeps, key: ApiKeyInfo, model: string): ModelRoutes {
  if (!allowedByPatterns(key.allowedModels, model)) {
    throw new AppError("forbidden", `this API key may not use the model '${model}'`);
  }
  const routes = deps.router().resolve(model);
  if (routes === null) throw new AppError("model_not_found", `the model '${model}' does not exist or no provider serves it`);
  return routes;
}

/** Step 3: one atomic quota check over every subject of the request. */
export async function checkQuota(deps: AdmitDeps, key: ApiKeyInfo, route: Route, requestId: string): Promise<void> {
  const subjects = [
    { kind: "api_key" as const, id: key.id },
    { kind: "user" as const, id: key.userId },
    { kind: "provider" as const, id: route.provider.id },
  ];
  let decision: { allowed: boolean; rejectedBy?: { label: string; retryAfterSeconds: number; limit: number } };
  try {
    decision = await deps.bus.request(QuotaCheck, { surface: "ai_gateway", subjects, requestId }, { timeoutMs: 2000 });
  } catch (caught) {
    deps.log.warn({ err: caught, failOpen: deps.quotaFailOpen }, "quota check unavailable");
    if (deps.quotaFailOpen) return;
    throw new AppError("rate_limited", "rate limiter unavailable", { details: { rule: "rate_limiter_unavailable" } });
  }
  if (!decision.allowed) {
    const rule = decision.rejectedBy;
    throw new AppError("rate_limited", `rate limit exceeded: ${rule?.label ?? "limit"} (${rule?.limit ?? 0})`, {
      details: { rule: rule?.label, retryAfterSeconds: rule?.retryAfterSeconds },
    });
  }
}
