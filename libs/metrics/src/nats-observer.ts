/** NATS request latency and errors per subject (the bus's RequestObserver), with children bound once per subject. */
import { ChildCache } from "./label-cache.js";
import type { Metrics } from "./metrics.js";

export interface NatsRequestObserver {
  observe(subject: string, seconds: number, errorCode: string | null): void;
}

export function natsRequestObserver(metrics: Metrics): NatsRequestObserver | null {
  if (!metrics.enabled) return null;
  const { natsRequestDuration, natsRequestErrors } = metrics.instruments;
  const durations = new ChildCache((subject) => natsRequestDuration.labels(subject));
  const errors = new ChildCache((subject, code) => natsRequestErrors.labels(subject, code));
  return {
    observe(subject, seconds, errorCode) {
      durations.get1(subject).observe(seconds);
      if (errorCode !== null) errors.get2(subject, errorCode).inc();
    },
  };
}
