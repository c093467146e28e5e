/**
 * Admission, the same for every inbound API: who is calling (virtual key), may this key use this surface and
 * model, and does quota let the request through. Everything here is in-memory except the quota check, which is
 * made only when a rule or budget can apply (and batched with the other checks of the same tick).
 */
import type { Bus } from "@thinkwatch/bus";
import { AppError } from "@thinkwatch/errors";
import {
  allowedByPatterns,
  authenticateSurfaceNow,
  type KeyVerifier,
  type QuotaClient,
  type QuotaIndexHolder,
} from "@thinkwatch/gateway-auth";
import { type AppEnv, requestHeader } from "@thinkwatch/http";
import type { Logger } from "@thinkwatch/log";
import type { ApiKeyInfo, ModelPrice, QuotaDecision, QuotaHeadroom, QuotaSubject } from "@thinkwatch/proto";
import type { TraceContext } from "@thinkwatch/tracing";
import type { Context } from "hono";
import { costOf } from "../pricing/model-cost.js";
import type { PricingHolder } from "../pricing/pricing-watch.js";
import type { ModelRouter, ModelRoutes, Route } from "../routing/model-router.js";

export interface AdmitDeps {
  bus: Bus;
  keys: KeyVerifier;
  router: () => ModelRouter;
  quota: QuotaClient;
  quotaIndex: QuotaIndexHolder;
  pricing: PricingHolder;
  log: Logger;
}

/** Step 1: the caller's key, checked for the AI gateway surface (synchronous when the key cache decides). */
export function authenticate(deps: AdmitDeps, c: Context<AppEnv>): ApiKeyInfo | Promise<ApiKeyInfo> {
  return authenticateSurfaceNow(
    deps.keys,
    { header: (name) => requestHeader(c, name), url: c.req.url },
    "ai_gateway",
    c.get("trace"),
  );
}

/** Step 2: the routes that serve the model, and whether this key may use it. */
export function routeModel(deps: AdmitDeps, key: ApiKeyInfo, model: string): ModelRoutes {
  if (!allowedByPatterns(key.allowedModels, model)) {
    throw new AppError("forbidden", `this API key may not use the model '${model}'`);
  }
  const router = deps.router();
  const routes = router.resolve(model);
  if (routes === null) {
    const degraded = router.degradedProviderOf(model);
    if (degraded !== null) {
      throw new AppError(
        "unavailable",
        `the provider '${degraded.name}' of the model '${model}' is degraded: ${degraded.reason}`,
      );
    }
    throw new AppError("model_not_found", `the model '${model}' does not exist or no provider serves it`);
  }
  return routes;
}

/** The quota subjects of a request: its key (by lineage, so rotation keeps counters), user, provider and team. */
export function quotaSubjects(key: ApiKeyInfo, providerId: string | null): QuotaSubject[] {
  const subjects: QuotaSubject[] = [
    { kind: "api_key", id: key.lineageId },
    { kind: "user", id: key.userId },
  ];
  if (providerId !== null) subjects.push({ kind: "provider", id: providerId });
  if (key.teamId !== null) subjects.push({ kind: "team", id: key.teamId });
  return subjects;
}

const UNMETERED = { weightedInputTokens: 0, weightedOutputTokens: 0, costUsd: 0 };

export interface QuotaEstimate {
  /** The gateway event id: the reservation is settled when quota accounts that event. */
  eventId: string;
  inputTokens: () => number;
  maxOutputTokens: number;
  price: ModelPrice;
}

/**
 * Step 3: one atomic quota check over every subject of the request, reserving the request's estimated cost against
 * its budgets. Skipped (null) when the rule index says no subject has a rule or budget. Returns the tightest
 * counter for `x-ratelimit-*`.
 */
export function checkQuota(
  deps: Pick<AdmitDeps, "quota" | "quotaIndex">,
  key: ApiKeyInfo,
  route: Route,
  requestId: string,
  estimate: QuotaEstimate,
  trace?: TraceContext,
): QuotaHeadroom | null | Promise<QuotaHeadroom | null> {
  const subjects = quotaSubjects(key, route.provider.id);
  // No rule or budget applies: answered here, without a promise.
  if (!deps.quotaIndex.anyApplies("ai_gateway", subjects)) return null;
  return askQuota(deps, subjects, requestId, estimate, trace);
}

async function askQuota(
  deps: Pick<AdmitDeps, "quota" | "quotaIndex">,
  subjects: QuotaSubject[],
  requestId: string,
  estimate: QuotaEstimate,
  trace: TraceContext | undefined,
): Promise<QuotaHeadroom | null> {
  // Only a limit in tokens or USD counts the reservation: for request-count rules the prompt is not walked.
  const cost = deps.quotaIndex.anyMetered(subjects)
    ? costOf(estimate.price, { inputTokens: estimate.inputTokens(), cachedTokens: 0, outputTokens: estimate.maxOutputTokens })
    : UNMETERED;
  const decision = await deps.quota.check(
    {
      surface: "ai_gateway",
      subjects,
      requestId,
      reservation: {
        id: estimate.eventId,
        weightedTokens: cost.weightedInputTokens + cost.weightedOutputTokens,
        usd: cost.costUsd,
      },
    },
    trace,
  );
  if (decision === null) return null;
  if (!decision.allowed) throw quotaRefusal(decision);
  return decision.tightest ?? null;
}

function quotaRefusal(decision: QuotaDecision): AppError {
  const rule = decision.rejectedBy;
  const label = rule?.label ?? "quota";
  const retryAfterSeconds = rule?.retryAfterSeconds ?? 1;
  const details = {
    rule: label,
    retryAfterSeconds,
    rateLimit: { label, limit: rule?.limit ?? 0, remaining: 0, resetSeconds: retryAfterSeconds },
  };
  if (rule?.kind === "unavailable") {
    return new AppError(
      "rate_limited",
      "rate_limiter_unavailable: quota could not check this request and the policy refuses unchecked requests",
      { details },
    );
  }
  if (rule?.kind === "budget") {
    return new AppError("budget_exceeded", `budget exhausted: ${label} (${rule.limit})`, { details });
  }
  return new AppError("rate_limited", `rate limit exceeded: ${label} (${rule?.limit ?? 0})`, { details });
}
