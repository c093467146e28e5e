/** The bus a service uses: a view on the process's shared NATS connection for that URL. */
import type { Logger } from "@thinkwatch/log";
import { type Bus, closingAlso, createBus } from "./bus.js";
import { type NatsLink, openNatsLink } from "./nats-link.js";
import { observingRequests, type RequestObserver } from "./request-observer.js";

/** The slice of the lifecycle's resource pool this needs (kept structural so the bus does not depend on lifecycle). */
export interface SharedResources {
  acquire<T>(
    key: string,
    open: () => Promise<T>,
    close: (value: T) => Promise<void>,
  ): Promise<{ value: T; release(): Promise<void> }>;
}

export interface ServiceBusOptions {
  url: string;
  namespace: string;
  /** Names the connection on the server; the first service to open it names it. */
  name: string;
  log: Logger;
  requestTimeoutMs?: number;
  /** Times every request for metrics (natsRequestObserver of @thinkwatch/metrics); null or absent: not timed. */
  observer?: RequestObserver | null;
}

export async function connectServiceBus(resources: SharedResources, options: ServiceBusOptions): Promise<Bus> {
  const { value: link, release } = await resources.acquire<NatsLink>(
    `nats:${options.url}`,
    () => openNatsLink({ url: options.url, name: options.name, log: options.log }),
    (opened) => opened.close(),
  );
  return closingAlso(observingRequests(createBus(link, options), options.observer ?? null), release);
}
