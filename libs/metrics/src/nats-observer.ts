/**
 * Bus request latency and errors per subject and transport (the bus's RequestObserver: `local` when a server in the
 * same process answered, `nats` over the wire), with children bound once per label set.
 */
import { ChildCache } from "./label-cache.js";
import type { Metrics } from "./metrics.js";

export interface NatsRequestObserver {
  observe(subject: string, transport: "local" | "nats", seconds: number, errorCode: string | null): void;
}

export function natsRequestObserver(metrics: Metrics): NatsRequestObserver | null {
  if (!metrics.enabled) return null;
  const { natsRequestDuration, natsRequestErrors } = metrics.instruments;
  const durations = new ChildCache((subject, transport) => natsRequestDuration.labels(subject, transport));
  const errors = new ChildCache((subject, code) => natsRequestErrors.labels(subject, code));
  return {
    observe(subject, transport, seconds, errorCode) {
      durations.get2(subject, transport).observe(seconds);
      if (errorCode !== null) errors.get2(subject, errorCode).inc();
    },
  };
}
