/**
 * Request/reply timing for metrics: a bus whose request() reports each call's subject, transport (answered in this
 * process, or over NATS), duration and error code to an observer. Without an observer the bus is returned as it is,
 * so metrics off costs nothing.
 */
import { toAppError } from "@thinkwatch/errors";
import type { Bus } from "./bus.js";

export type RequestTransport = "local" | "nats";

export interface RequestObserver {
  observe(subject: string, transport: RequestTransport, seconds: number, errorCode: string | null): void;
}

export function observingRequests(bus: Bus, observer: RequestObserver | null): Bus {
  if (observer === null) return bus;
  return {
    ...bus,
    async request(contract, payload, options) {
      const transport = bus.servedLocally(contract.subject) ? "local" : "nats";
      const started = performance.now();
      try {
        const reply = await bus.request(contract, payload, options);
        observer.observe(contract.subject, transport, (performance.now() - started) / 1000, null);
        return reply;
      } catch (caught) {
        observer.observe(contract.subject, transport, (performance.now() - started) / 1000, toAppError(caught).code);
        throw caught;
      }
    },
  };
}
