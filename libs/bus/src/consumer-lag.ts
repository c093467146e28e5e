/** A durable consumer's lag (messages stored but not yet delivered to it), asked of JetStream when metrics are scraped. */
import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import type { Bus } from "./bus.js";

export function consumerLag(bus: Bus, stream: string, durable: string): () => Promise<number> {
  let manager: Promise<JetStreamManager> | undefined;
  return async () => {
    manager ??= jetstreamManager(bus.nc);
    const info = await (await manager).consumers.info(bus.streamName(stream), durable);
    return info.num_pending;
  };
}
