/**
 * mcp-proxy's metrics and upstream health: tools/call count and latency per server and status (rate-limited calls
 * also on gateway_rate_limited_total{surface="mcp_gateway"}), and the outcome of
 * the last connection to each upstream (kept for the console's Health page whether or not metrics are on; the
 * mcp_upstream_health gauge when they are).
 */
import { ChildCache, type Metrics } from "@thinkwatch/metrics";
import type { McpUpstreamHealth } from "@thinkwatch/proto";
import type { ToolCallOutcome } from "../session/gateway-session.js";

export type ToolCallObserver = (outcome: Pick<ToolCallOutcome, "server" | "status" | "latencyMs" | "errorCode">) => void;

/** Refusals by a rate limit or budget: counted on gateway_rate_limited_total beside the AI gateway's. */
const LIMITED = new Set(["rate_limited", "budget_exceeded"]);

export function createToolCallObserver(metrics: Metrics): ToolCallObserver {
  if (!metrics.enabled) return () => undefined;
  const { mcpToolCalls, mcpToolCallDuration, gatewayRateLimited } = metrics.instruments;
  const rateLimited = gatewayRateLimited.labels("mcp_gateway");
  const calls = new ChildCache((server, status) => mcpToolCalls.labels(server, status));
  const durations = new ChildCache((server) => mcpToolCallDuration.labels(server));
  return (outcome) => {
    // Calls naming no configured server (an unknown tool) share one label value.
    const server = outcome.server?.name ?? "none";
    calls.get2(server, outcome.status).inc();
    durations.get1(server).observe(outcome.latencyMs / 1000);
    if (outcome.errorCode !== null && LIMITED.has(outcome.errorCode)) rateLimited.inc();
  };
}

export interface UpstreamHealthBoard {
  report(server: string, healthy: boolean, error: string | null): void;
  /** The servers still configured, with their last known state. */
  snapshot(configured: readonly string[]): McpUpstreamHealth[];
}

export function createUpstreamHealthBoard(metrics: Metrics): UpstreamHealthBoard {
  const states = new Map<string, McpUpstreamHealth>();
  const gauge = metrics.enabled ? metrics.instruments.mcpUpstreamHealth : null;
  return {
    report(server, healthy, error) {
      states.set(server, { server, healthy, error, checkedAt: Date.now() });
      gauge?.set({ server }, healthy ? 1 : 0);
    },
    snapshot(configured) {
      const names = new Set(configured);
      for (const name of states.keys()) {
        if (names.has(name)) continue;
        states.delete(name);
        gauge?.remove({ server: name });
      }
      return [...states.values()];
    },
  };
}
