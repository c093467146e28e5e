/**
 * routing contracts: the health of model routes as the ai-proxy replicas share it (circuit-breaker state in Redis),
 * asked by admin-api for the console's Models page.
 */
import * as v from "valibot";
import { requestContract } from "./contract.js";

export const BreakerStateSchema = v.picklist(["closed", "open", "half_open"]);
export type BreakerState = v.InferOutput<typeof BreakerStateSchema>;

export const RouteHealthSchema = v.object({
  routeId: v.string(),
  state: BreakerStateSchema,
  /** Failures and requests counted in the current window. */
  failures: v.number(),
  requests: v.number(),
  /** Epoch ms the breaker last opened; null when it never did (or was reset). */
  openedAt: v.nullable(v.number()),
  /** Requests counted against the route's per-minute cap in the current minute. */
  requestsThisMinute: v.number(),
  tokensThisMinute: v.number(),
});
export type RouteHealth = v.InferOutput<typeof RouteHealthSchema>;

export const RouteHealthQuery = requestContract(
  "routing.v1.health",
  v.object({ routeIds: v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(10_000)) }),
  v.object({ routes: v.array(RouteHealthSchema) }),
);
