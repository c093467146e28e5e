/**
 * /api/health (every dependency of the console and every service instance discovered over NATS, with MCP upstreams'
 * last known health) and /api/health/traffic (the AI gateway's last minute across instances, for the dashboard).
 */
import * as v from "valibot";

export const HealthCheckResultSchema = v.object({
  name: v.string(),
  ok: v.boolean(),
  critical: v.boolean(),
  latencyMs: v.number(),
  error: v.nullable(v.string()),
  stats: v.nullable(v.record(v.string(), v.unknown())),
});
export type HealthCheckResult = v.InferOutput<typeof HealthCheckResultSchema>;

export const ServiceInstanceSchema = v.object({
  id: v.string(),
  service: v.string(),
  process: v.string(),
  hostname: v.string(),
  pid: v.string(),
  version: v.string(),
  startedAt: v.string(),
  /** null: the instance answered discovery but could not produce its report. */
  ready: v.nullable(v.boolean()),
  reason: v.nullable(v.string()),
  checks: v.array(HealthCheckResultSchema),
  memory: v.nullable(v.object({ rssBytes: v.number(), heapUsedBytes: v.number() })),
});
export type ServiceInstance = v.InferOutput<typeof ServiceInstanceSchema>;

export const McpServerHealthSchema = v.object({
  server: v.string(),
  /** null: no instance has connected to it yet. */
  healthy: v.nullable(v.boolean()),
  error: v.nullable(v.string()),
  checkedAt: v.nullable(v.number()),
});
export type McpServerHealth = v.InferOutput<typeof McpServerHealthSchema>;

export const HealthResponseSchema = v.object({
  /** ok: every dependency and instance ready; degraded otherwise. */
  status: v.picklist(["ok", "degraded"]),
  checkedAt: v.number(),
  dependencies: v.array(HealthCheckResultSchema),
  instances: v.array(ServiceInstanceSchema),
  mcpServers: v.array(McpServerHealthSchema),
  metricsEnabled: v.boolean(),
});
export type HealthResponse = v.InferOutput<typeof HealthResponseSchema>;

export const TrafficSummarySchema = v.object({
  /** False when METRICS_BEARER_TOKEN is unset: no instance records traffic. */
  metricsEnabled: v.boolean(),
  /** ai-proxy instances that reported. */
  instances: v.number(),
  windowSeconds: v.number(),
  requestsPerMinute: v.number(),
  /** Share of requests that failed (status ≥ 400 or an error), 0..1; null without requests. */
  errorRate: v.nullable(v.number()),
  /** 99th percentile of request duration in seconds (bucket-interpolated); null without requests. */
  p99Seconds: v.nullable(v.number()),
});
export type TrafficSummary = v.InferOutput<typeof TrafficSummarySchema>;
