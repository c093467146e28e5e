/**
 * Observability of the whole fleet in one process: /metrics behind METRICS_BEARER_TOKEN on each listener, counters
 * after known traffic through the gateway (fake upstream), bounded labels; /api/health with every instance found
 * over NATS; the dashboard's traffic summary; and readiness: ai-proxy is not ready after setup until a provider is
 * usable, while the console stays ready so one can be added.
 */
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  type FakeUpstream,
  type FleetProcess,
  type GatewayScenario,
  startFakeUpstream,
  startFleetProcess,
  startGatewayScenario,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const TOKEN = "scrape-token-for-the-observability-test";
const SERVICES = ["admin-api", "ai-proxy", "audit-ingest", "forwarder", "key-service", "mcp-proxy", "quota"];

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format's samples (comments skipped). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`unparseable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] as string] = pair[2] as string;
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value));
  return found.length === 0 ? undefined : found.reduce((sum, s) => sum + s.value, 0);
}

async function scrape(base: string, token: string | null) {
  return fetch(`${base}/metrics`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
}

describe("with METRICS_BEARER_TOKEN", () => {
  let scenario: GatewayScenario;
  let openai: OpenAI;
  let key: string;
  const usage = { input: 0, output: 0 };

  beforeAll(async () => {
    scenario = await startGatewayScenario({ fakes: ["openai"], env: { METRICS_BEARER_TOKEN: TOKEN } });
    await scenario.addProvider("openai", { models: [{ model: "team-chat", upstreamModel: "gpt-4o-mini" }] });
    key = await scenario.createKey({ name: "metrics" });
    openai = new OpenAI({ apiKey: key, baseURL: `${scenario.fleet.gatewayUrl}/v1`, maxRetries: 0 });
    await waitFor(async () => (await openai.models.list()).data.some((m) => m.id === "team-chat"), { what: "routing" });
  }, 120_000);

  afterAll(async () => {
    await scenario?.close();
  });

  it("refuses a scrape without the token or with a wrong one (401), on both listeners", async () => {
    for (const base of [scenario.fleet.gatewayUrl, scenario.fleet.consoleUrl]) {
      const missing = await scrape(base, null);
      expect(missing.status).toBe(401);
      expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await missing.json()).toEqual({
        error: { code: "unauthenticated", message: "GET /metrics needs Authorization: Bearer <METRICS_BEARER_TOKEN>" },
      });
      expect((await scrape(base, `${TOKEN}x`)).status).toBe(401);
      expect((await scrape(base, "short")).status).toBe(401);
    }
  });

  it("counts known traffic with bounded labels, the same registry on the gateway and console listeners", async () => {
    const before = parseMetrics(await (await scrape(scenario.fleet.gatewayUrl, TOKEN)).text());
    const base = (labels: Record<string, string>) => sampleValue(before, "gateway_requests_total", labels) ?? 0;
    const start = {
      teamChat: base({ route: "openai_chat", provider: "openai", model: "team-chat", status: "200" }),
      prefix: base({ route: "openai_chat", provider: "openai", model: "other", status: "200" }),
      unknown: base({ route: "openai_chat", provider: "none", model: "other", status: "404" }),
      tokensIn: sampleValue(before, "gateway_tokens_total", { model: "team-chat", direction: "input", kind: "raw" }) ?? 0,
    };

    for (let i = 0; i < 3; i += 1) {
      const completion = await openai.chat.completions.create({
        model: "team-chat",
        messages: [{ role: "user", content: `count me ${i}` }],
      });
      usage.input += completion.usage?.prompt_tokens ?? 0;
      usage.output += completion.usage?.completion_tokens ?? 0;
    }
    const stream = await openai.chat.completions.create({
      model: "team-chat",
      messages: [{ role: "user", content: "stream me" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) {
      if (chunk.usage) {
        usage.input += chunk.usage.prompt_tokens;
        usage.output += chunk.usage.completion_tokens;
      }
    }
    // A model routed by prefix only: counted, but under "other" (client strings never become label values).
    await openai.chat.completions.create({ model: "gpt-4o-client-typo-123", messages: [{ role: "user", content: "x" }] });
    await expect(
      openai.chat.completions.create({ model: "no-such-model-xyz", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({ status: 404 });

    const response = await scrape(scenario.fleet.gatewayUrl, TOKEN);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    const samples = parseMetrics(text);
    const teamChat = { route: "openai_chat", provider: "openai", model: "team-chat", status: "200" };
    expect(sampleValue(samples, "gateway_requests_total", teamChat)).toBe(start.teamChat + 4);
    expect(sampleValue(samples, "gateway_request_duration_seconds_count", teamChat)).toBe(start.teamChat + 4);
    expect(sampleValue(samples, "gateway_requests_total", { ...teamChat, model: "other" })).toBe(start.prefix + 1);
    expect(
      sampleValue(samples, "gateway_requests_total", { route: "openai_chat", provider: "none", model: "other", status: "404" }),
    ).toBe(start.unknown + 1);
    expect(sampleValue(samples, "gateway_tokens_total", { model: "team-chat", direction: "input", kind: "raw" })).toBe(
      start.tokensIn + usage.input,
    );
    expect(usage.input).toBeGreaterThan(0);
    expect(
      sampleValue(samples, "gateway_tokens_total", { model: "team-chat", direction: "output", kind: "raw" }),
    ).toBeGreaterThanOrEqual(usage.output);
    expect(sampleValue(samples, "gateway_upstream_duration_seconds_count", { provider: "openai", model: "team-chat" })).toBe(
      start.teamChat + 4,
    );
    expect(sampleValue(samples, "gateway_time_to_first_token_seconds_count", { provider: "openai", model: "team-chat" })).toBe(1);
    expect(sampleValue(samples, "gateway_stream_completion_total", { outcome: "completed" })).toBe(1);
    expect(sampleValue(samples, "gateway_cost_usd_total", { provider: "openai", model: "team-chat" })).toBeGreaterThanOrEqual(0);
    // NATS request/reply per subject, the AUDIT consumers' lag, audit drops, default process metrics.
    expect(sampleValue(samples, "nats_request_duration_seconds_count", { subject: "keys.v1.verify" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, "jetstream_consumer_lag", { stream: "AUDIT", consumer: "audit-ingest" })).toBeGreaterThanOrEqual(
      0,
    );
    expect(sampleValue(samples, "audit_log_dropped_total", { service: "ai-proxy" })).toBe(0);
    expect(sampleValue(samples, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    for (const name of [
      "gateway_rate_limited_total",
      "gateway_rate_limiter_fail_open_total",
      "gateway_rate_limiter_fail_closed_total",
      "gateway_budget_fail_open_total",
      "gateway_budget_alert_total",
      "circuit_breaker_state",
      "audit_dead_letter_total",
      "mcp_tool_calls_total",
      "mcp_tool_call_duration_seconds",
      "mcp_upstream_health",
      "quota_check_duration_seconds",
      "nats_request_errors_total",
      "forwarder_events_sent_total",
      "forwarder_events_failed_total",
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    // Label values never carry the client's model string or the key.
    expect(text).not.toContain("gpt-4o-client-typo-123");
    expect(text).not.toContain("no-such-model-xyz");
    expect(text).not.toContain(key);

    // The console listener exposes the same process registry.
    const consoleSamples = parseMetrics(await (await scrape(scenario.fleet.consoleUrl, TOKEN)).text());
    expect(sampleValue(consoleSamples, "gateway_requests_total", teamChat)).toBe(start.teamChat + 4);
  });

  it("/api/health lists the console's dependencies and every service instance found over NATS", async () => {
    const health = await scenario.admin.call<{
      status: string;
      dependencies: Array<{ name: string; ok: boolean; latencyMs: number }>;
      instances: Array<{ service: string; ready: boolean; checks: Array<{ name: string; ok: boolean }> }>;
      mcpServers: unknown[];
      metricsEnabled: boolean;
    }>("GET", "/api/health");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");
    expect(health.body.metricsEnabled).toBe(true);
    expect(health.body.dependencies.map((d) => [d.name, d.ok])).toEqual([
      ["nats", true],
      ["postgres", true],
      ["redis", true],
      ["clickhouse", true],
    ]);
    expect(health.body.instances.map((i) => i.service)).toEqual(SERVICES);
    expect(health.body.instances.every((i) => i.ready)).toBe(true);
    const quota = health.body.instances.find((i) => i.service === "quota");
    expect(quota?.checks.map((c) => c.name)).toEqual(["nats", "postgres", "redis"]);
    expect(health.body.mcpServers).toEqual([]);
  });

  it("/api/health/traffic sums the last minute of gateway requests across instances", async () => {
    const samples = parseMetrics(await (await scrape(scenario.fleet.gatewayUrl, TOKEN)).text());
    const total = sampleValue(samples, "gateway_requests_total") ?? 0;
    const failed = samples
      .filter((s) => s.name === "gateway_requests_total" && Number(s.labels.status) >= 400)
      .reduce((sum, s) => sum + s.value, 0);
    const traffic = await scenario.admin.call<Record<string, unknown>>("GET", "/api/health/traffic");
    expect(traffic.status).toBe(200);
    // Every request of this test happened within the last minute.
    expect(traffic.body).toMatchObject({ metricsEnabled: true, instances: 1, windowSeconds: 60, requestsPerMinute: total });
    expect(traffic.body.errorRate).toBeCloseTo(failed / total, 6);
    expect(traffic.body.p99Seconds).toEqual(expect.any(Number));
  });
});

describe("without METRICS_BEARER_TOKEN, and readiness", () => {
  let testEnv: TestEnvironment;
  let fleet: FleetProcess;
  let admin: ConsoleClient;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ clickhouse: true });
    upstream = await startFakeUpstream("openai");
    fleet = await startFleetProcess({ env: testEnv.env });
    admin = createConsoleClient(fleet.consoleUrl);
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  const ready = async (base: string) => {
    const response = await fetch(`${base}/health/ready`);
    return { status: response.status, body: (await response.json()) as { status: string; services: Record<string, boolean> } };
  };

  it("answers /metrics with 404 on every listener", async () => {
    for (const base of [fleet.gatewayUrl, fleet.consoleUrl]) {
      expect((await scrape(base, null)).status).toBe(404);
      expect((await scrape(base, TOKEN)).status).toBe(404);
    }
  });

  it("keeps ai-proxy ready before setup, unready after setup until a provider is usable; the console stays ready", async () => {
    expect((await ready(fleet.gatewayUrl)).status).toBe(200);
    await admin.initialize();
    const unready = await waitFor(
      async () => {
        const probe = await ready(fleet.gatewayUrl);
        return probe.status === 503 ? probe : null;
      },
      { what: "the gateway to report not ready after setup without a provider" },
    );
    expect(unready.body).toEqual({
      status: "not_ready",
      services: { "key-service": true, quota: true, "audit-ingest": true, forwarder: true, "ai-proxy": false, "mcp-proxy": true },
    });
    expect((await fetch(`${fleet.gatewayUrl}/health/live`)).status).toBe(200);
    const consoleReady = await ready(fleet.consoleUrl);
    expect(consoleReady.status).toBe(200);
    expect(consoleReady.body.services).not.toHaveProperty("ai-proxy");

    const health = await admin.call<{ status: string; instances: Array<{ service: string; ready: boolean; reason: string }> }>(
      "GET",
      "/api/health",
    );
    expect(health.body.status).toBe("degraded");
    expect(health.body.instances.find((i) => i.service === "ai-proxy")).toMatchObject({
      ready: false,
      reason: "no usable provider: add and activate a provider in the console",
    });
    const traffic = await admin.call("GET", "/api/health/traffic");
    expect(traffic.body).toEqual({
      metricsEnabled: false,
      instances: 0,
      windowSeconds: 60,
      requestsPerMinute: 0,
      errorRate: null,
      p99Seconds: null,
    });

    const created = await admin.call("POST", "/api/admin/providers", {
      name: "openai",
      kind: "openai",
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
    });
    expect(created.status).toBe(201);
    await waitFor(async () => (await ready(fleet.gatewayUrl)).status === 200, { what: "the gateway to become ready" });

    // A deactivated provider is not usable: not ready again.
    const id = (created.body as { provider: { id: string } }).provider.id;
    const deactivated = await admin.call("PATCH", `/api/admin/providers/${id}`, { isActive: false });
    expect(deactivated.status).toBe(200);
    await waitFor(async () => (await ready(fleet.gatewayUrl)).status === 503, { what: "not ready without an active provider" });
  });
});
