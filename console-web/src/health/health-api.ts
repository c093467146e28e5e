/** /api/health (dependencies, service instances, MCP servers) and /api/health/traffic (the dashboard strip). */

import { useQuery } from "@tanstack/react-query";
import type { HealthResponse, TrafficSummary } from "@thinkwatch/console-api";
import { useApi } from "../api/use-api";

export type {
  HealthCheckResult,
  HealthResponse,
  McpServerHealth,
  ServiceInstance,
  TrafficSummary,
} from "@thinkwatch/console-api";

/** Health is live data: refreshed every 10 s while the page is open. */
const REFRESH_MS = 10_000;

export function useHealth() {
  const api = useApi();
  return useQuery({
    queryKey: ["health"],
    queryFn: () => api.get<HealthResponse>("/api/health"),
    refetchInterval: REFRESH_MS,
  });
}

export function useTraffic(options: { enabled: boolean }) {
  const api = useApi();
  return useQuery({
    queryKey: ["health", "traffic"],
    queryFn: () => api.get<TrafficSummary>("/api/health/traffic"),
    refetchInterval: REFRESH_MS,
    enabled: options.enabled,
  });
}
