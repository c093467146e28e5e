/**
 * Delivery counters per channel for this forwarder instance, written to the `forwarder_stats` KV bucket under
 * `<channel id>.<instance id>` every couple of seconds when they changed; admin-api sums the instances (replicas
 * and earlier runs) and adds the consumer's lag from JetStream.
 */
import type { KV } from "@nats-io/kv";
import { encodeJson } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import type { ChannelCounters } from "@thinkwatch/proto";

export interface ChannelCounterSet {
  record(channelId: string, outcome: "delivered" | "failed" | "dead_lettered", error?: string): void;
  /** Write what changed now (also called on shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function createChannelCounters(kv: KV, instanceId: string, log: Logger, intervalMs = 2000): ChannelCounterSet {
  const counters = new Map<string, ChannelCounters>();
  const dirty = new Set<string>();
  const flush = async () => {
    const ids = [...dirty];
    dirty.clear();
    for (const id of ids) {
      const value = counters.get(id);
      if (value === undefined) continue;
      try {
        await kv.put(`${id}.${instanceId}`, encodeJson({ ...value, updatedAt: Date.now() }));
      } catch (caught) {
        dirty.add(id);
        log.warn({ err: caught, channel: id }, "cannot write channel counters; will retry");
      }
    }
  };
  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();
  return {
    record(channelId, outcome, error) {
      const value = counters.get(channelId) ?? {
        sent: 0,
        failed: 0,
        deadLettered: 0,
        lastDeliveredAt: null,
        lastError: null,
        updatedAt: 0,
      };
      if (outcome === "delivered") {
        value.sent += 1;
        value.lastDeliveredAt = Date.now();
      } else if (outcome === "failed") value.failed += 1;
      else value.deadLettered += 1;
      if (error !== undefined) value.lastError = error.slice(0, 500);
      counters.set(channelId, value);
      dirty.add(channelId);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
