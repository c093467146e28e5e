/** forwarder: delivers every audit event to each configured channel, one durable consumer per channel. */
import { Kvm } from "@nats-io/kv";
import { connectServiceBus, ensureStream, natsDependency, openConfigStore } from "@thinkwatch/bus";
import { createKeyring } from "@thinkwatch/crypto";
import { defineService } from "@thinkwatch/lifecycle";
import { CONFIG_KEYS, KV_BUCKETS, type LogChannel, STREAMS } from "@thinkwatch/proto";
import { createChannelCounters } from "./channels/channel-counters.js";
import { createChannelSupervisor } from "./channels/channel-supervisor.js";
import { createSink } from "./channels/sink-factory.js";
import { ForwarderConfigSchema } from "./config.js";
import { serveTestChannel } from "./nats/test-channel.js";

export const forwarderService = defineService({
  name: "forwarder",
  config: ForwarderConfigSchema,
  dependencies: (config) => [natsDependency(config.NATS_URL)],
  async start(config, { log, instanceId, resources }) {
    const bus = await connectServiceBus(resources, {
      url: config.NATS_URL,
      namespace: config.THINKWATCH_NAMESPACE,
      name: `thinkwatch-${instanceId}`,
      log,
    });
    await ensureStream(bus, STREAMS.audit);
    await ensureStream(bus, STREAMS.deadLetter, 30);
    const keyring = createKeyring(config.ENCRYPTION_KEY, config.ENCRYPTION_PREVIOUS_KEYS);
    const sinkFor = (channel: LogChannel) =>
      createSink(channel, { timeoutMs: config.FORWARDER_WEBHOOK_TIMEOUT_MS, decrypt: (c) => keyring.decrypt(c) });
    const statsKv = await new Kvm(bus.nc).create(bus.bucketName(KV_BUCKETS.forwarderStats), { history: 1 });
    const counters = createChannelCounters(statsKv, instanceId, log);
    const supervisor = createChannelSupervisor(bus, sinkFor, counters, log);
    const testEndpoint = serveTestChannel(bus, sinkFor);
    const store = await openConfigStore(bus, log);
    const watcher = await store.watch(CONFIG_KEYS.logChannels, (value) => void supervisor.apply(value.channels));
    return {
      ready: async () => bus.isConnected(),
      async stop(deadlineMs) {
        watcher.stop();
        testEndpoint.unsubscribe();
        await supervisor.stop(deadlineMs);
        await counters.stop();
        await bus.close(deadlineMs);
      },
    };
  },
});
