/** The process's metrics: created only when METRICS_BEARER_TOKEN is set, with the scrape handler every listener mounts. */
import { createMetrics, createScrapeHandler, METRICS_DISABLED, type Metrics } from "@thinkwatch/metrics";

export interface ProcessMetrics {
  metrics: Metrics;
  /** GET /metrics; undefined when metrics are off. */
  scrape: ((request: Request) => Promise<Response>) | undefined;
}

export function metricsFor(token: string): ProcessMetrics {
  if (token === "") return { metrics: METRICS_DISABLED, scrape: undefined };
  const metrics = createMetrics();
  return { metrics, scrape: createScrapeHandler(metrics, token) };
}
