/**
 * The quota step of a request: price the model, estimate the request (prompt estimate + its max output tokens) and
 * ask quota to admit it, reserving that estimate against the subjects' budgets. The record keeps the price so the
 * audit event carries the real cost computed at request time. Synchronous (no promise) when no rule applies.
 */
import type { ApiKeyInfo, QuotaHeadroom } from "@thinkwatch/proto";
import { checkQuota } from "../auth/admit.js";
import type { GatewayDeps } from "../deps.js";
import type { Route } from "../routing/model-router.js";
import type { RequestRecord } from "./request-record.js";

/** Reserved for a request that names no output limit; settled against the real usage afterwards. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

export function admitQuota(
  deps: GatewayDeps,
  key: ApiKeyInfo,
  record: RequestRecord,
  route: Route,
  /** Estimating the prompt costs a walk over it: done only when a limit applies or usage must be estimated. */
  estimate: { inputTokens: () => number; maxOutputTokens: number | undefined },
): QuotaHeadroom | null | Promise<QuotaHeadroom | null> {
  record.price = deps.pricing.priceOf(route.model, route.upstreamModel);
  record.estimateInputTokens = estimate.inputTokens;
  return checkQuota(
    deps,
    key,
    route,
    record.requestId,
    {
      eventId: record.eventId,
      inputTokens: () => record.estimatedInputTokens(),
      maxOutputTokens: estimate.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
      price: record.price,
    },
    record.trace,
  );
}

/** The route that finally served (a fallback may be another upstream model): its price is the one recorded. */
export function priceServedRoute(deps: GatewayDeps, record: RequestRecord, route: Route): void {
  record.price = deps.pricing.priceOf(route.model, route.upstreamModel);
}
