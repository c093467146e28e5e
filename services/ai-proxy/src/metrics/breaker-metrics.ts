/**
 * circuit_breaker_state per provider (0 closed, 1 open, 2 half-open), for the circuit breakers of the routing
 * resilience work (issue 11) to call on each transition. A no-op when metrics are off.
 */
import type { Metrics } from "@thinkwatch/metrics";

export type BreakerState = "closed" | "open" | "half_open";
export type BreakerObserver = (provider: string, state: BreakerState) => void;

const VALUE: Record<BreakerState, number> = { closed: 0, open: 1, half_open: 2 };

export function createBreakerObserver(metrics: Metrics): BreakerObserver {
  if (!metrics.enabled) return () => undefined;
  const gauge = metrics.instruments.circuitBreakerState;
  return (provider, state) => gauge.set({ provider }, VALUE[state]);
}
