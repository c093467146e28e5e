/** The NATS bus: typed request/serve over proto contracts, broadcasts, JetStream streams and consumers, config KV. */

export {
  type BatchConsumer,
  type BatchContext,
  type BatchItem,
  consumeBatches,
  type ItemFailure,
} from "./batch-consumer.js";
export { type Bus, type BusOptions, connectBus, createBus, type ServeContext, type Served, type ServeOptions } from "./bus.js";
export { decodeJson, encodeJson } from "./codec.js";
export { type ConfigStore, openConfigStore } from "./config-store.js";
export { consumeEach, type EachConsumer, type EachConsumerOptions, type EachMessage } from "./consume-each.js";
export { consumerLag } from "./consumer-lag.js";
export { createDeadLetters, type DeadLetters } from "./dead-letters.js";
export { natsHealthCheck } from "./health-check.js";
export { type DiscoveredInstance, discoverInstances } from "./instance-discovery.js";
export {
  DEFAULT_MAX_DELIVER,
  ensureDurableConsumer,
  ensureStream,
  publishEncodedEvent,
  publishEvent,
  publishEventBatch,
} from "./jetstream.js";
export {
  isSanitized,
  MAX_LOG_STRING_BYTES,
  type SanitizeReport,
  sanitizeString,
  sanitizeValue,
  TRUNCATION_MARKER,
} from "./log-value.js";
export { type NatsLink, openNatsLink } from "./nats-link.js";
export { createOutbox, type Outbox, type OutboxOptions } from "./outbox.js";
export { natsDependency, probeNats } from "./probe.js";
export { observingRequests, type RequestObserver, type RequestTransport } from "./request-observer.js";
export { connectServiceBus, type ServiceBusOptions, type SharedResources } from "./service-bus.js";
export { type AnnounceOptions, announceInstance, type InstanceAnnouncement } from "./service-instance.js";
export { type SettingsHolder, staticSettings, watchSettings } from "./settings-watch.js";
