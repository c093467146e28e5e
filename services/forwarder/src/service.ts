/** forwarder: delivers every audit event to each configured channel, one durable consumer per channel. */
import { connectServiceBus, ensureStream, natsDependency, openConfigStore } from "@thinkwatch/bus";
import { defineService } from "@thinkwatch/lifecycle";
import { CONFIG_KEYS, STREAMS } from "@thinkwatch/proto";
import { createChannelSupervisor } from "./channels/channel-supervisor.js";
import { createWebhookSink } from "./channels/webhook-sink.js";
import { ForwarderConfigSchema } from "./config.js";

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
    const supervisor = createChannelSupervisor(
      bus,
      (channel) => {
        if (channel.kind === "webhook") return createWebhookSink(channel, config.FORWARDER_WEBHOOK_TIMEOUT_MS);
        throw new Error(`the ${channel.kind} channel kind is not available yet`);
      },
      log,
    );
    const store = await openConfigStore(bus, log);
    const watcher = await store.watch(CONFIG_KEYS.logChannels, (value) => void supervisor.apply(value.channels));
    return {
      ready: async () => bus.isConnected(),
      async stop(deadlineMs) {
        watcher.stop();
        await supervisor.stop(deadlineMs);
        await bus.close(deadlineMs);
      },
    };
  },
});
