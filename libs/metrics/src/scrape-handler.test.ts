import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.js";
import { createScrapeHandler } from "./scrape-handler.js";

const metrics = createMetrics();
const handler = createScrapeHandler(metrics, "the-right-token");
const scrape = (authorization?: string) =>
  handler(new Request("http://x/metrics", authorization === undefined ? {} : { headers: { authorization } }));

describe("GET /metrics", () => {
  it.each([
    ["no header", undefined],
    ["another scheme", "Basic dGhlLXJpZ2h0LXRva2Vu"],
    ["a wrong token", "Bearer the-wrong-token"],
    ["a prefix of the token", "Bearer the-right"],
    ["an empty token", "Bearer "],
  ])("refuses %s with 401", async (_, authorization) => {
    const response = await scrape(authorization);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
  });

  it("answers the registry in the text format for the right token", async () => {
    metrics.instruments.gatewayRequests.labels("openai_chat", "openai", "gpt-4o", "200").inc(2);
    const response = await scrape("Bearer the-right-token");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await response.text();
    expect(text).toContain('gateway_requests_total{route="openai_chat",provider="openai",model="gpt-4o",status="200"} 2');
    expect(text).toContain("# TYPE process_cpu_user_seconds_total counter");
  });

  it("reads scrape-time sources and forgets unregistered ones", async () => {
    let dropped = 3;
    const unregister = metrics.collected.auditDrops("ai-proxy", () => dropped);
    expect(await metrics.registry.getSingleMetricAsString("audit_log_dropped_total")).toContain(
      'audit_log_dropped_total{service="ai-proxy"} 3',
    );
    dropped = 5;
    expect(await metrics.registry.getSingleMetricAsString("audit_log_dropped_total")).toContain(
      'audit_log_dropped_total{service="ai-proxy"} 5',
    );
    unregister();
    expect(await metrics.registry.getSingleMetricAsString("audit_log_dropped_total")).not.toContain("ai-proxy");
  });
});
