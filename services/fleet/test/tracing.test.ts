/**
 * One trace per gateway request across processes: the edges (ai-proxy, mcp-proxy) run in one process and the
 * services they call (key-service, quota, audit-ingest, admin-api) in another, both exporting OTLP/JSON to a receiver
 * in the test. A parent in the other process can only come from the NATS message headers, so the span tree proves
 * propagation; the client's traceparent is honoured, the upstream provider receives the trace context, and the
 * ClickHouse rows carry the trace id.
 */
import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createClickHouse } from "@thinkwatch/clickhouse";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  type FakeUpstream,
  type FleetProcess,
  type McpHttpUpstream,
  type OtlpReceiver,
  type ReceivedSpan,
  startEverythingHttp,
  startFakeUpstream,
  startFleetProcess,
  startOtlpReceiver,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

let testEnv: TestEnvironment;
let receiver: OtlpReceiver;
let upstream: FakeUpstream;
let mcpUpstream: McpHttpUpstream;
let core: FleetProcess;
let edge: FleetProcess;
let admin: ConsoleClient;
let key: string;

/**
 * The core exports OTLP/JSON, so it runs the SDK's tracer; the edge exports the default OTLP/protobuf, so it runs
 * ThinkWatch's light tracer: one trace tree across both shows that they propagate and export alike.
 */
const tracingEnv = (service: string, url: string, protocol: "http/json" | "http/protobuf") => ({
  OTEL_SERVICE_NAME: service,
  OTEL_EXPORTER_OTLP_ENDPOINT: url,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
  OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
  OTEL_TRACES_SAMPLER_ARG: "1.0",
  OTEL_BSP_SCHEDULE_DELAY: "100",
});

beforeAll(async () => {
  [testEnv, receiver, upstream, mcpUpstream] = await Promise.all([
    createTestEnvironment({ clickhouse: true }),
    startOtlpReceiver(),
    startFakeUpstream({ kind: "openai", record: true }),
    startEverythingHttp(),
  ]);
  core = await startFleetProcess({
    env: { ...testEnv.env, ...tracingEnv("thinkwatch-core", receiver.url, "http/json") },
    services: ["key-service", "quota", "audit-ingest", "admin-api"],
  });
  admin = createConsoleClient(core.consoleUrl);
  const { userId } = await admin.initialize();
  const provider = await admin.call("POST", "/api/admin/providers", {
    name: "openai",
    kind: "openai",
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
    settings: {},
  });
  expect(provider.status, JSON.stringify(provider.body)).toBe(201);
  // A rule makes the edge ask quota on every request.
  const rules = await admin.call("PUT", `/api/admin/limits/user/${userId}/rules`, {
    rules: [{ surface: "ai_gateway", metric: "requests", windowSeconds: 60, limit: 1000 }],
  });
  expect(rules.status, JSON.stringify(rules.body)).toBe(200);
  const server = await admin.call("POST", "/api/mcp/servers", {
    name: "Everything HTTP",
    prefix: "web",
    transport: "streamable_http",
    url: mcpUpstream.url,
  });
  expect(server.status, JSON.stringify(server.body)).toBe(201);
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "traced" })).body.plaintext;
  edge = await startFleetProcess({
    // Warnings too: a failed upstream attempt's line is checked for its trace id.
    env: { ...testEnv.env, ...tracingEnv("thinkwatch-edge", receiver.url, "http/protobuf"), LOG_LEVEL: "warn" },
    services: ["ai-proxy", "mcp-proxy"],
  });
}, 180_000);

afterAll(async () => {
  await edge?.stop();
  await core?.stop();
  await mcpUpstream?.stop();
  await upstream?.close();
  await receiver?.close();
  await testEnv?.cleanup();
});

function clientTraceparent(): { traceId: string; parentId: string; header: string } {
  const traceId = randomBytes(16).toString("hex");
  const parentId = randomBytes(8).toString("hex");
  return { traceId, parentId, header: `00-${traceId}-${parentId}-01` };
}

/** The one span of the trace that matches, waiting for the exporters' batches. */
async function spanOf(traceId: string, match: (span: ReceivedSpan) => boolean, what: string): Promise<ReceivedSpan> {
  return waitFor(
    () => {
      const found = receiver.spans.filter((span) => span.traceId === traceId && match(span));
      return found.length === 1 ? found[0] : null;
    },
    { timeoutMs: 20_000, what: `span ${what}` },
  ).catch((error: Error) => {
    const seen = receiver.spans
      .filter((span) => span.traceId === traceId)
      .map((s) => `${s.service} ${s.scope} ${s.name} ${s.spanId}<-${s.parentSpanId}`);
    throw new Error(`${error.message}\nspans of the trace:\n${seen.join("\n")}`);
  });
}

async function clickhouseRows<T>(sql: string): Promise<T[]> {
  const clickhouse = createClickHouse({
    url: testEnv.env.CLICKHOUSE_URL as string,
    database: testEnv.env.CLICKHOUSE_DB as string,
  });
  try {
    return await waitFor(
      async () => {
        const rows = await clickhouse.query<T>(sql);
        return rows.length > 0 ? rows : null;
      },
      { timeoutMs: 20_000, what: sql },
    );
  } finally {
    await clickhouse.close();
  }
}

describe("tracing across the fleet", () => {
  it("joins the client's trace: ai-proxy → key-service, quota → upstream → audit-ingest, one tree across processes", async () => {
    const client = clientTraceparent();
    const response = await fetch(`${edge.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", traceparent: client.header },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hello" }] }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const { traceId } = client;

    const http = await spanOf(traceId, (s) => s.name === "POST /v1/chat/completions", "gateway request");
    expect(http).toMatchObject({ service: "thinkwatch-edge", scope: "ai-proxy", kind: SERVER, parentSpanId: client.parentId });
    expect(http.attributes["http.response.status_code"]).toBe(200);

    // Each NATS hop: a client span in the edge process, its server span in the core process as the child.
    for (const subject of ["keys.v1.verify", "quota.v1.check_batch"]) {
      const request = await spanOf(traceId, (s) => s.name === `${subject} request`, `${subject} request`);
      expect(request).toMatchObject({ service: "thinkwatch-edge", kind: CLIENT, parentSpanId: http.spanId });
      const served = await spanOf(traceId, (s) => s.name === `${subject} process`, `${subject} process`);
      expect(served).toMatchObject({ service: "thinkwatch-core", kind: SERVER, parentSpanId: request.spanId });
    }

    const call = await spanOf(traceId, (s) => s.name === "POST upstream", "upstream call");
    expect(call).toMatchObject({ service: "thinkwatch-edge", kind: CLIENT, parentSpanId: http.spanId });
    expect(call.attributes["http.response.status_code"]).toBe(200);
    const received = upstream.requests.find((r) => r.path.endsWith("/chat/completions"));
    expect(received?.headers.traceparent).toBe(`00-${traceId}-${call.spanId}-01`);

    const subject = "audit.v1.evt.gateway_request.completed";
    const publish = await spanOf(traceId, (s) => s.name === `${subject} publish`, "audit publish");
    expect(publish).toMatchObject({ service: "thinkwatch-edge", kind: PRODUCER, parentSpanId: http.spanId });
    const ingest = await spanOf(
      traceId,
      (s) => s.name === `${subject} process` && s.attributes["messaging.consumer.group.name"] === "audit-ingest",
      "audit-ingest consume",
    );
    expect(ingest).toMatchObject({ service: "thinkwatch-core", kind: CONSUMER, parentSpanId: publish.spanId, statusCode: 0 });
    // quota's post-flight accounting reads the same event on its own durable consumer, in the same trace.
    const accounting = await spanOf(
      traceId,
      (s) => s.name === `${subject} process` && s.attributes["messaging.consumer.group.name"] === "quota-usage",
      "quota usage consume",
    );
    expect(accounting).toMatchObject({ service: "thinkwatch-core", kind: CONSUMER, parentSpanId: publish.spanId });

    const rows = await clickhouseRows<{ trace_id: string; status_code: number }>(
      `SELECT trace_id, status_code FROM gateway_logs WHERE trace_id = '${traceId}'`,
    );
    expect(rows).toEqual([{ trace_id: traceId, status_code: 200 }]);
    // The edge's spans came through the light tracer (protobuf), the core's through the SDK (JSON).
    const tree = receiver.spans.filter((s) => s.traceId === traceId);
    expect(new Set(tree.filter((s) => s.service === "thinkwatch-edge").map((s) => s.encoding))).toEqual(new Set(["protobuf"]));
    expect(new Set(tree.filter((s) => s.service === "thinkwatch-core").map((s) => s.encoding))).toEqual(new Set(["json"]));
  });

  it("writes the request's trace id on the log line of a failed upstream attempt", async () => {
    const client = clientTraceparent();
    upstream.failNext(1);
    const response = await fetch(`${edge.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", traceparent: client.header },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "retried" }] }),
    });
    expect(response.status).toBe(200); // the retry succeeded
    const line = await waitFor(
      () =>
        edge
          .output()
          .split("\n")
          .find((l) => l.includes("upstream attempt failed") && l.includes(client.traceId)) ?? null,
      { timeoutMs: 10_000, what: "the attempt's log line" },
    );
    expect(JSON.parse(line)).toMatchObject({ traceId: client.traceId, status: 503 });
  });

  it("makes the console API's NATS calls children of its HTTP span", async () => {
    const client = clientTraceparent();
    const response = await fetch(`${core.consoleUrl}/api/keys`, {
      headers: { authorization: `Bearer ${admin.token}`, traceparent: client.header },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const http = await spanOf(client.traceId, (s) => s.scope === "admin-api" && s.kind === SERVER, "console request");
    // Named for the console route that answered, not the single-page app's catch-all that also matches.
    expect(http).toMatchObject({ name: "GET /api/keys", service: "thinkwatch-core", parentSpanId: client.parentId });
    expect(http.attributes["url.path"]).toBe("/api/keys");
    const request = await spanOf(client.traceId, (s) => s.name === "keys.v1.list request", "keys.v1.list request");
    expect(request).toMatchObject({ kind: CLIENT, parentSpanId: http.spanId });
    const served = await spanOf(client.traceId, (s) => s.name === "keys.v1.list process", "keys.v1.list process");
    expect(served).toMatchObject({ kind: SERVER, parentSpanId: request.spanId });
  });

  it("starts a new trace when the client sends none, and still records it on the row", async () => {
    const response = await fetch(`${edge.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": "untraced-client-1" },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "again" }] }),
    });
    expect(response.status).toBe(200);
    const [row] = await clickhouseRows<{ trace_id: string }>(
      "SELECT trace_id FROM gateway_logs WHERE request_id = 'untraced-client-1'",
    );
    expect(row?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    const root = await spanOf(row?.trace_id ?? "", (s) => s.name === "POST /v1/chat/completions", "root request span");
    expect(root.parentSpanId).toBe("");
  });

  it("traces an MCP tool call: mcp-proxy → upstream MCP server → audit-ingest, trace id in mcp_logs", async () => {
    const client = clientTraceparent();
    const mcp = new Client({ name: "tracing-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${edge.gatewayUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}`, traceparent: client.header } },
    });
    await mcp.connect(transport);
    const result = await mcp.callTool({ name: "web__echo", arguments: { message: "traced" } });
    expect(JSON.stringify(result)).toContain("traced");
    await mcp.close();
    const { traceId } = client;

    const toolCall = await spanOf(traceId, (s) => s.name === "tools/call", "tools/call");
    expect(toolCall).toMatchObject({ service: "thinkwatch-edge", scope: "mcp-proxy" });
    expect(toolCall.attributes["mcp.tool.name"]).toBe("web__echo");
    const http = receiver.spans.find((s) => s.spanId === toolCall.parentSpanId);
    expect(http).toMatchObject({ name: "POST /mcp", kind: SERVER, parentSpanId: client.parentId });
    // The upstream session opens inside the first call (initialize, initialized, the GET stream, then tools/call):
    // every one of those HTTP calls is a client span under tools/call.
    const upstreamCalls = await waitFor(
      () => {
        const found = receiver.spans.filter(
          (s) => s.traceId === traceId && s.parentSpanId === toolCall.spanId && s.kind === CLIENT,
        );
        return found.filter((s) => s.name === "POST mcp upstream").length >= 2 ? found : null;
      },
      { timeoutMs: 20_000, what: "MCP upstream calls" },
    );
    expect(upstreamCalls.every((s) => s.service === "thinkwatch-edge" && s.attributes["server.address"] === "127.0.0.1")).toBe(
      true,
    );
    const subject = "audit.v1.evt.mcp_tool_call.completed";
    const publish = await spanOf(traceId, (s) => s.name === `${subject} publish`, "MCP audit publish");
    expect(publish.parentSpanId).toBe(toolCall.spanId);
    const ingest = await spanOf(
      traceId,
      (s) => s.name === `${subject} process` && s.parentSpanId === publish.spanId,
      "audit-ingest consume of the MCP event",
    );
    expect(ingest).toMatchObject({ service: "thinkwatch-core", kind: CONSUMER });

    const rows = await clickhouseRows<{ trace_id: string; tool_name: string }>(
      `SELECT trace_id, tool_name FROM mcp_logs WHERE trace_id = '${traceId}'`,
    );
    expect(rows).toEqual([{ trace_id: traceId, tool_name: "echo" }]);
  });

  it("gives an MCP call no upstream span while another traced call is in flight on the same server", async () => {
    const client = clientTraceparent();
    const mcp = new Client({ name: "tracing-overlap-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${edge.gatewayUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}`, traceparent: client.header } },
    });
    await mcp.connect(transport);
    await mcp.callTool({ name: "web__get-sum", arguments: { a: 1, b: 2 } }); // opens the upstream session
    // The slow call's upstream request goes out while it is alone on the server: it is that call's child. The echo
    // sent meanwhile cannot be told apart from it inside the SDK's transport, so it gets no span (not a wrong parent).
    const slow = mcp.callTool({ name: "web__trigger-long-running-operation", arguments: { duration: 2, steps: 2 } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await mcp.callTool({ name: "web__echo", arguments: { message: "overlapping" } });
    await slow;
    await mcp.close();
    const { traceId } = client;

    const toolCall = (name: string) =>
      spanOf(traceId, (s) => s.name === "tools/call" && s.attributes["mcp.tool.name"] === name, name);
    const [slowCall, echoCall] = [await toolCall("web__trigger-long-running-operation"), await toolCall("web__echo")];
    const childrenOf = (span: ReceivedSpan) => receiver.spans.filter((s) => s.parentSpanId === span.spanId && s.kind === CLIENT);
    // Spans are exported in the order they end: the slow call ended last, so everything before it has arrived.
    // (POSTs only: a GET stream the transport happens to reopen while the slow call is alone would be its child too.)
    expect(childrenOf(slowCall).filter((s) => s.name.startsWith("POST"))).toHaveLength(1);
    expect(childrenOf(echoCall)).toEqual([]);
  });
});
