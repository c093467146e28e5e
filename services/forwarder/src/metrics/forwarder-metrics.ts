/**
 * The forwarder's metrics: events sent and failed per channel (by the channel's configured name), and for each
 * running channel consumer its dead letters and lag, read at scrape time. No-ops when metrics are off.
 */
import { type Bus, consumerLag } from "@thinkwatch/bus";
import { type Metrics, whenCollected } from "@thinkwatch/metrics";
import { STREAMS } from "@thinkwatch/proto";
import type { ChannelCounterSet } from "../channels/channel-counters.js";
import type { ConsumerTracker } from "../channels/channel-supervisor.js";

export interface ForwarderMetrics {
  counters: ChannelCounterSet;
  track: ConsumerTracker;
}

export function forwarderMetrics(bus: Bus, metrics: Metrics, counters: ChannelCounterSet): ForwarderMetrics {
  if (!metrics.enabled) return { counters, track: () => () => undefined };
  const { forwarderSent, forwarderFailed } = metrics.instruments;
  const names = new Map<string, string>();
  return {
    counters: {
      ...counters,
      record(channelId, outcome, error) {
        const channel = names.get(channelId) ?? channelId;
        if (outcome === "delivered") forwarderSent.inc({ channel });
        else if (outcome === "failed") forwarderFailed.inc({ channel });
        counters.record(channelId, outcome, error);
      },
    },
    track(channel, durable, deadLetters) {
      names.set(channel.id, channel.name);
      return whenCollected(metrics, (sources) => {
        const dead = sources.deadLetters(durable, () => deadLetters.total());
        const lag = sources.consumerLag(STREAMS.audit.name, durable, consumerLag(bus, STREAMS.audit.name, durable));
        return () => {
          dead();
          lag();
        };
      });
    },
  };
}
