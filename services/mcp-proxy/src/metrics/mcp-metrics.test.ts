import { createMetrics } from "@thinkwatch/metrics";
import { describe, expect, it } from "vitest";
import { createToolCallObserver } from "./mcp-metrics.js";

const value = async (metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string>) => {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return metric?.values.find((sample) => Object.entries(labels).every(([k, v]) => sample.labels[k] === v))?.value ?? 0;
};

describe("tools/call metrics", () => {
  it("count every call by server and status, and limited calls on gateway_rate_limited_total for the MCP surface", async () => {
    const metrics = createMetrics();
    const observe = createToolCallObserver(metrics);
    const server = { name: "files" } as Parameters<typeof observe>[0]["server"];
    observe({ server, status: "success", latencyMs: 12, errorCode: null });
    observe({ server, status: "denied", latencyMs: 1, errorCode: "rate_limited" });
    observe({ server, status: "denied", latencyMs: 1, errorCode: "budget_exceeded" });
    observe({ server, status: "denied", latencyMs: 1, errorCode: "forbidden" });
    expect(await value(metrics, "mcp_tool_calls_total", { server: "files", status: "success" })).toBe(1);
    expect(await value(metrics, "mcp_tool_calls_total", { server: "files", status: "denied" })).toBe(3);
    expect(await value(metrics, "gateway_rate_limited_total", { surface: "mcp_gateway" })).toBe(2);
    expect(await value(metrics, "gateway_rate_limited_total", { surface: "ai_gateway" })).toBe(0);
  });
});
