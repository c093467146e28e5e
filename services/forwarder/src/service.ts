/** forwarder: delivers every audit event to each configured channel, one durable consumer per channel. */
import { Kvm } from "@nats-io/kv";
import {
  announceInstance,
  connectServiceBus,
  ensureStream,
  natsDependency,
  natsHealthCheck,
  openConfigStore,
} from "@thinkwatch/bus";
import { createKeyring } from "@thinkwatch/crypto";
import { defineService, serviceHealth } from "@thinkwatch/lifecycle";
import { natsRequestObserver } from "@thinkwatch/metrics";
import { CONFIG_KEYS, KV_BUCKETS, type LogChannel, STREAMS } from "@thinkwatch/proto";
import { createChannelCounters } from "./channels/channel-counters.js";
import { createChannelSupervisor } from "./channels/channel-supervisor.js";
import { createSink } from "./channels/sink-factory.js";
import { ForwarderConfigSchema } from "./config.js";
import { forwarderMetrics } from "./metrics/forwarder-metrics.js";
import { serveTestChannel } from "./nats/test-channel.js";

export const forwarderService = defineService({
  name: "forwarder",
  config: ForwarderConfigSchema,
  dependencies: (config) => [natsDependency(config.NATS_URL)],
  async start(config, { log, instanceId, resources, metrics }) {
    const bus = await connectServiceBus(resources, {
      url: config.NATS_URL,
      namespace: config.THINKWATCH_NAMESPACE,
      name: `thinkwatch-${instanceId}`,
      log,
      observer: natsRequestObserver(metrics),
    });
    await ensureStream(bus, STREAMS.audit);
    await ensureStream(bus, STREAMS.deadLetter);
    const keyring = createKeyring(config.ENCRYPTION_KEY, config.ENCRYPTION_PREVIOUS_KEYS);
    const sinkFor = (channel: LogChannel) =>
      createSink(channel, { timeoutMs: config.FORWARDER_WEBHOOK_TIMEOUT_MS, decrypt: (c) => keyring.decrypt(c) });
    const statsKv = await new Kvm(bus.nc).create(bus.bucketName(KV_BUCKETS.forwarderStats), { history: 1 });
    const counters = createChannelCounters(statsKv, instanceId, log);
    const measured = forwarderMetrics(bus, metrics, counters);
    const supervisor = createChannelSupervisor(bus, sinkFor, measured.counters, log, measured.track);
    const testEndpoint = serveTestChannel(bus, sinkFor);
    const store = await openConfigStore(bus, log);
    const watcher = await store.watch(CONFIG_KEYS.logChannels, (value) => void supervisor.apply(value.channels));
    const health = serviceHealth([natsHealthCheck(bus)]);
    const announcement = announceInstance(bus, { service: "forwarder", process: instanceId, health: health.health });
    return {
      ...health,
      async stop(deadlineMs) {
        announcement.stop();
        watcher.stop();
        testEndpoint.unsubscribe();
        await supervisor.stop(deadlineMs);
        await counters.stop();
        await bus.close(deadlineMs);
      },
    };
  },
});
