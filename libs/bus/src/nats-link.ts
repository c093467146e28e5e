/**
 * One NATS connection and its request mux, which several services of one process can share (all-in-one mode):
 * fewer connections, and protocol writes of different services coalesce into one socket write per tick.
 */

import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "@thinkwatch/log";
import { createRequestMux, type RequestMux } from "./request-mux.js";

export interface NatsLink {
  nc: NatsConnection;
  mux: RequestMux;
  isConnected(): boolean;
  /** Drain and close the connection (after every bus on it closed). */
  close(): Promise<void>;
}

export async function openNatsLink(options: { url: string; name: string; log: Logger }): Promise<NatsLink> {
  const nc = await connect({
    servers: options.url,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    timeout: 3000,
  });
  const mux = createRequestMux(nc);
  let connected = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === "disconnect") connected = false;
      if (status.type === "reconnect") connected = true;
      if (status.type === "disconnect" || status.type === "reconnect")
        options.log.warn({ nats: status.type }, "nats connection status changed");
    }
  })();
  return {
    nc,
    mux,
    isConnected: () => connected && !nc.isClosed(),
    async close() {
      mux.close();
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}
