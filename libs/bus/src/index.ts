/** The NATS bus: typed request/serve over proto contracts, broadcasts, JetStream streams and consumers, config KV. */
export { type Bus, type BusOptions, connectBus, createBus, type ServeContext, type ServeOptions } from "./bus.js";
export { decodeJson, encodeJson } from "./codec.js";
export { type ConfigStore, openConfigStore } from "./config-store.js";
export { consumeEach, type EachConsumer, type EachMessage } from "./consume-each.js";
export {
  type BatchConsumer,
  type BatchItem,
  consumeBatches,
  ensureDurableConsumer,
  ensureStream,
  publishEvent,
} from "./jetstream.js";
export { type NatsLink, openNatsLink } from "./nats-link.js";
export { createOutbox, type Outbox, type OutboxOptions } from "./outbox.js";
export { natsDependency, probeNats } from "./probe.js";
export { connectServiceBus, type ServiceBusOptions, type SharedResources } from "./service-bus.js";
export { type SettingsHolder, staticSettings, watchSettings } from "./settings-watch.js";
