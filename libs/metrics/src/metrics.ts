/**
 * The metrics of one process. Enabled only when METRICS_BEARER_TOKEN is set: then one registry holds the default
 * Node process metrics and every ThinkWatch instrument, shared by all services of the process (all-in-one mode).
 * Disabled, nothing is created and instrumented code checks `enabled` once, at start, and installs nothing.
 */
import { collectDefaultMetrics, Registry } from "prom-client";
import { type CollectedSources, defineCollected } from "./collected.js";
import { defineInstruments, type Instruments } from "./instruments.js";
import { RecentWindow } from "./recent-window.js";

export interface EnabledMetrics {
  readonly enabled: true;
  readonly registry: Registry;
  readonly instruments: Instruments;
  readonly collected: CollectedSources;
  /** The last minute of AI gateway requests (dashboard strip). */
  readonly gatewayWindow: RecentWindow;
}

export interface DisabledMetrics {
  readonly enabled: false;
}

export type Metrics = EnabledMetrics | DisabledMetrics;

export const METRICS_DISABLED: DisabledMetrics = { enabled: false };

export function createMetrics(): EnabledMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    enabled: true,
    registry,
    instruments: defineInstruments(registry),
    collected: defineCollected(registry),
    gatewayWindow: new RecentWindow(),
  };
}

/** Register scrape-time sources when metrics are on; returns the function that unregisters them (a no-op when off). */
export function whenCollected(metrics: Metrics, register: (sources: CollectedSources) => () => void): () => void {
  return metrics.enabled ? register(metrics.collected) : () => undefined;
}
