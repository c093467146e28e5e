/**
 * What every service instance reports about itself over the NATS micro-service protocol (`$SRV.PING|INFO|STATS`,
 * as `nats micro ls` shows): its identity in the metadata, and in the stats reply's endpoint data its readiness,
 * each dependency timed, and service-specific figures (the gateway's last minute, MCP upstreams' health).
 */
import * as v from "valibot";

/** `$SRV` service names of ThinkWatch services: `thinkwatch-<service>`. */
export const INSTANCE_SERVICE_PREFIX = "thinkwatch-";

export const InstanceMetadataSchema = v.object({
  namespace: v.string(),
  service: v.string(),
  /** The process (several services share one in all-in-one mode). */
  process: v.string(),
  hostname: v.string(),
  pid: v.string(),
});
export type InstanceMetadata = v.InferOutput<typeof InstanceMetadataSchema>;

export const DependencyCheckSchema = v.object({
  name: v.string(),
  ok: v.boolean(),
  /** False: a failure is reported without making the service unready. */
  critical: v.optional(v.boolean(), true),
  latencyMs: v.number(),
  error: v.nullable(v.string()),
  stats: v.nullable(v.record(v.string(), v.unknown())),
});
export type DependencyCheck = v.InferOutput<typeof DependencyCheckSchema>;

/** The last minute of AI gateway requests of one instance (latency counts per bucket, not cumulative). */
export const GatewayWindowSchema = v.object({
  seconds: v.number(),
  requests: v.number(),
  errors: v.number(),
  buckets: v.array(v.number()),
});

export const McpUpstreamHealthSchema = v.object({
  server: v.string(),
  healthy: v.boolean(),
  error: v.nullable(v.string()),
  checkedAt: v.number(),
});
export type McpUpstreamHealth = v.InferOutput<typeof McpUpstreamHealthSchema>;

export const InstanceReportSchema = v.object({
  ready: v.boolean(),
  reason: v.nullable(v.string()),
  startedAt: v.number(),
  checks: v.array(DependencyCheckSchema),
  memory: v.object({ rssBytes: v.number(), heapUsedBytes: v.number() }),
  /** ai-proxy with metrics on. */
  gatewayWindow: v.optional(v.nullable(GatewayWindowSchema), null),
  /** mcp-proxy: the upstreams it connected to (or tried). */
  mcpUpstreams: v.optional(v.array(McpUpstreamHealthSchema), []),
});
export type InstanceReport = v.InferOutput<typeof InstanceReportSchema>;
