/** Prometheus metrics (prom-client): the instrument catalog, the per-process registry, the scrape endpoint. */

export type { CollectedSources } from "./collected.js";
export type { Instruments } from "./instruments.js";
export { ChildCache } from "./label-cache.js";
export {
  createMetrics,
  type DisabledMetrics,
  type EnabledMetrics,
  METRICS_DISABLED,
  type Metrics,
  whenCollected,
} from "./metrics.js";
export { type NatsRequestObserver, natsRequestObserver } from "./nats-observer.js";
export { mergeWindows, quantileOf, RecentWindow, WINDOW_BUCKETS, type WindowSummary } from "./recent-window.js";
export { createScrapeHandler } from "./scrape-handler.js";
