/**
 * /api/health: the console's own dependencies (timed, with pool statistics), every service instance of this
 * deployment discovered over NATS (`$SRV.STATS`) with its readiness and dependency checks, and the MCP servers'
 * last known health as the mcp-proxy instances saw it. /api/health/traffic: the AI gateway's last minute merged
 * across ai-proxy instances (requests/min, error rate, p99) for the dashboard strip.
 */
import { type DiscoveredInstance, discoverInstances } from "@thinkwatch/bus";
import { HealthResponseSchema, type McpServerHealth, TrafficSummarySchema } from "@thinkwatch/console-api";
import type { ServiceHealth } from "@thinkwatch/lifecycle";
import { mergeWindows, quantileOf } from "@thinkwatch/metrics";
import type { AdminDeps } from "../deps.js";
import type { ConsoleRouter } from "./console-router.js";

export interface HealthRouteOptions {
  /** admin-api's own dependency checks. */
  health(): Promise<ServiceHealth>;
  /** The MCP servers configured now (names), so servers nobody connected to yet are listed too. */
  mcpServers(): Promise<string[]>;
  metricsEnabled: boolean;
}

export function registerHealthRoutes(router: ConsoleRouter, deps: AdminDeps, options: HealthRouteOptions): void {
  router.route(
    "GET",
    "/api/health",
    "health:read",
    async (c) => {
      const [own, instances, configured] = await Promise.all([
        options.health(),
        discoverInstances(deps.bus),
        options.mcpServers(),
      ]);
      const rows = instances.map(instanceRow);
      const healthy = own.ready && rows.every((row) => row.ready === true);
      return c.json({
        status: healthy ? "ok" : "degraded",
        checkedAt: Date.now(),
        dependencies: own.checks,
        instances: rows,
        mcpServers: mergeMcpHealth(instances, configured),
        metricsEnabled: options.metricsEnabled,
      });
    },
    {
      summary: "Health of the console's dependencies, every service instance and the MCP servers",
      response: HealthResponseSchema,
    },
  );

  router.route(
    "GET",
    "/api/health/traffic",
    "health:read",
    async (c) => {
      const instances = (await discoverInstances(deps.bus)).filter((i) => i.service === "ai-proxy");
      const windows = instances.flatMap((i) => (i.report?.gatewayWindow ? [i.report.gatewayWindow] : []));
      const merged = mergeWindows(windows);
      return c.json({
        metricsEnabled: options.metricsEnabled,
        instances: windows.length,
        windowSeconds: merged.seconds,
        requestsPerMinute: Math.round((merged.requests * 60) / merged.seconds),
        errorRate: merged.requests === 0 ? null : merged.errors / merged.requests,
        p99Seconds: quantileOf(merged, 0.99),
      });
    },
    { summary: "The AI gateway's last minute across instances: requests/min, error rate, p99", response: TrafficSummarySchema },
  );
}

function instanceRow(instance: DiscoveredInstance) {
  const report = instance.report;
  return {
    id: instance.id,
    service: instance.service,
    process: instance.metadata.process,
    hostname: instance.metadata.hostname,
    pid: instance.metadata.pid,
    version: instance.version,
    startedAt: instance.startedAt,
    ready: report?.ready ?? null,
    reason: report === null ? "the instance could not report its health" : report.reason,
    checks: report?.checks ?? [],
    memory: report?.memory ?? null,
  };
}

/** The freshest observation of each configured server across mcp-proxy instances; never-seen servers as unknown. */
function mergeMcpHealth(instances: DiscoveredInstance[], configured: string[]): McpServerHealth[] {
  const latest = new Map<string, McpServerHealth>();
  for (const instance of instances) {
    for (const entry of instance.report?.mcpUpstreams ?? []) {
      const known = latest.get(entry.server);
      if (known === undefined || (known.checkedAt ?? 0) < entry.checkedAt) latest.set(entry.server, entry);
    }
  }
  return configured
    .map((server) => latest.get(server) ?? { server, healthy: null, error: null, checkedAt: null })
    .sort((a, b) => a.server.localeCompare(b.server));
}
