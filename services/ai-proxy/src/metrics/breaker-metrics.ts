/**
 * circuit_breaker_state per route (0 closed, 1 open, 2 half-open), labelled by provider name and route id (both
 * admin-configured, so bounded), set by the circuit breakers whenever this replica reads or changes a state.
 * A no-op when metrics are off.
 */
import type { Metrics } from "@thinkwatch/metrics";

import type { BreakerState } from "@thinkwatch/proto";
import type { Route } from "../routing/model-router.js";

export type BreakerObserver = (route: Route, state: BreakerState) => void;

const VALUE: Record<BreakerState, number> = { closed: 0, open: 1, half_open: 2 };

export function createBreakerObserver(metrics: Metrics): BreakerObserver {
  if (!metrics.enabled) return () => undefined;
  const gauge = metrics.instruments.circuitBreakerState;
  return (route, state) => gauge.set({ provider: route.provider.name, route: route.id }, VALUE[state]);
}
