/**
 * The MCP gateway in front of real MCP servers — the reference "everything" server over stdio and over Streamable
 * HTTP, and the reference "memory" server over stdio — driven by the official SDK client: aggregation under
 * namespaced names, calls with progress, elicitation relayed to the client, prompts, resources and completions,
 * the single-server endpoint, tool policy of a key, audit events, an upstream restart, and a session continued on a
 * second mcp-proxy replica.
 */

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { type NatsConnection, connect as natsConnect } from "@nats-io/transport-node";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  eventsOf,
  everythingStdio,
  type FleetProcess,
  type McpHttpUpstream,
  memoryStdio,
  startEverythingHttp,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let replica: FleetProcess;
let admin: ConsoleClient;
let httpUpstream: McpHttpUpstream;
let sseUpstream!: McpHttpUpstream;
let key: string;
let nats: NatsConnection;
const auditEvents: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  [testEnv, httpUpstream, sseUpstream] = await Promise.all([
    createTestEnvironment({ clickhouse: true }),
    startEverythingHttp(),
    startEverythingHttp("sse"),
  ]);
  fleet = await startFleetProcess({ env: testEnv.env, services: ["key-service", "admin-api", "audit-ingest", "mcp-proxy"] });
  admin = createConsoleClient(fleet.consoleUrl);
  await admin.initialize();
  const everything = everythingStdio();
  const memory = memoryStdio();
  for (const body of [
    { name: "everything", transport: "stdio", ...everything },
    { name: "memory", transport: "stdio", ...memory, env: { MEMORY_FILE_PATH: `/tmp/tw-memory-${testEnv.id}.jsonl` } },
    {
      name: "Everything HTTP",
      prefix: "web",
      transport: "streamable_http",
      url: httpUpstream.url,
      headers: { "x-upstream-token": "s3cr3t-header" },
    },
    { name: "Legacy SSE", prefix: "legacy", transport: "sse", url: sseUpstream.url },
  ]) {
    const created = await admin.call("POST", "/api/mcp/servers", body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "agent" })).body.plaintext;
  nats = await natsConnect({ servers: testEnv.env.NATS_URL as string });
  nats.subscribe(`${testEnv.id}.audit.v1.evt.mcp_tool_call.completed`, {
    callback: (_err, msg) => {
      auditEvents.push(...eventsOf(msg));
    },
  });
  replica = await startFleetProcess({ env: testEnv.env, services: ["mcp-proxy"] });
}, 120_000);

afterAll(async () => {
  await nats?.close();
  await replica?.stop();
  await fleet?.stop();
  await httpUpstream?.stop();
  await sseUpstream?.stop();
  await testEnv?.cleanup();
});

async function connect(
  options: { path?: string; key?: string; base?: string; sessionId?: string; capabilities?: Record<string, unknown> } = {},
) {
  const client = new Client({ name: "aggregation-test", version: "1.0.0" }, { capabilities: options.capabilities ?? {} });
  const transport = new StreamableHTTPClientTransport(new URL(`${options.base ?? fleet.gatewayUrl}${options.path ?? "/mcp"}`), {
    requestInit: { headers: { authorization: `Bearer ${options.key ?? key}` } },
    ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
  });
  await client.connect(transport);
  return { client, transport };
}

function text(result: unknown): string {
  return (((result as { content?: unknown }).content ?? []) as Array<{ type: string; text?: string }>)
    .filter((c) => c.type === "text")
    .map((c) => c.text)
    .join("\n");
}

describe("aggregation", () => {
  it("lists every server's tools under <prefix>__<name>, sorted, with schemas passed through", async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    if (process.env.DEBUG_MCP)
      console.log(
        fleet
          .output()
          .split("\n")
          .filter((l) => /mcp|MCP/.test(l))
          .join("\n"),
      );
    expect(names).toContain("everything__echo");
    expect(names).toContain("web__echo");
    expect(names).toContain("memory__create_entities");
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    const echo = tools.find((t) => t.name === "everything__echo");
    expect(echo?.inputSchema).toMatchObject({ type: "object", properties: { message: { type: "string" } } });
    const structured = tools.find((t) => t.name === "everything__get-structured-content");
    expect(structured?.outputSchema).toBeDefined();
    await client.close();
  });

  it("routes calls to the right upstream and passes results through unchanged", async () => {
    const { client } = await connect();
    expect(text(await client.callTool({ name: "everything__echo", arguments: { message: "over stdio" } }))).toContain(
      "over stdio",
    );
    expect(text(await client.callTool({ name: "web__echo", arguments: { message: "over http" } }))).toContain("over http");
    expect(text(await client.callTool({ name: "legacy__echo", arguments: { message: "over sse" } }))).toContain("over sse");
    const sum = await client.callTool({ name: "everything__get-sum", arguments: { a: 2, b: 40 } });
    expect(text(sum)).toContain("42");
    const structured = await client.callTool({ name: "everything__get-structured-content", arguments: { location: "New York" } });
    expect(structured.structuredContent).toMatchObject({ temperature: expect.any(Number) });
    await client.callTool({
      name: "memory__create_entities",
      arguments: { entities: [{ name: "ThinkWatch", entityType: "gateway", observations: ["routes MCP"] }] },
    });
    const graph = await client.callTool({ name: "memory__read_graph", arguments: {} });
    expect(JSON.stringify(graph)).toContain("ThinkWatch");
    await client.close();
  });

  it("relays progress notifications of a long-running call", async () => {
    const { client } = await connect();
    const progress: Progress[] = [];
    const result = await client.callTool(
      { name: "everything__trigger-long-running-operation", arguments: { duration: 1, steps: 3 } },
      undefined,
      { onprogress: (p) => progress.push(p) },
    );
    expect(text(result)).toMatch(/completed/i);
    // Every notification, in order, before the result (the last one arrives from the upstream in the same tick as
    // the result; see upstream/ordered-delivery.ts).
    expect(progress.map((p) => p.progress)).toEqual([1, 2, 3]);
    await client.close();
  });

  it("relays an upstream's elicitation to a client that declared the capability", async () => {
    const { client } = await connect({ capabilities: { elicitation: {} } });
    let asked: unknown = null;
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked = request.params;
      return {
        action: "accept",
        content: {
          name: "Ada",
          check: true,
          firstLine: "x",
          email: "ada@example.com",
          homepage: "https://example.com",
          birthdate: "1815-12-10",
          integer: 1,
          number: 1.5,
          enum: "ok",
        },
      };
    });
    const result = await client.callTool({ name: "everything__trigger-elicitation-request", arguments: {} });
    expect(asked).toMatchObject({ message: expect.any(String) });
    expect(JSON.stringify(result)).toMatch(/accept/);
    await client.close();
  });

  it("lists and gets prompts, resources and templates under namespaced names and URIs", async () => {
    const { client } = await connect();
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain("everything__simple-prompt");
    const prompt = await client.getPrompt({ name: "everything__args-prompt", arguments: { city: "Paris" } });
    expect(JSON.stringify(prompt.messages)).toContain("Paris");
    const { resources } = await client.listResources();
    const doc = resources.find((r) => r.uri.startsWith("mcp.everything+demo://resource/static/document/"));
    expect(doc).toBeDefined();
    const read = await client.readResource({ uri: doc?.uri as string });
    expect(read.contents[0]?.uri).toBe(doc?.uri);
    const { resourceTemplates } = await client.listResourceTemplates();
    const template = resourceTemplates.find((t) => t.uriTemplate.startsWith("mcp.everything+demo://resource/dynamic/text/"));
    expect(template?.uriTemplate).toMatch(/^mcp\.everything\+demo:\/\/resource\/dynamic\/text\/\{\w+\}$/);
    const dynamic = await client.readResource({ uri: "mcp.everything+demo://resource/dynamic/text/3" });
    expect(dynamic.contents[0]?.uri).toBe("mcp.everything+demo://resource/dynamic/text/3");
    const completion = await client.complete({
      ref: { type: "ref/prompt", name: "everything__completable-prompt" },
      argument: { name: "department", value: "E" },
    });
    expect(completion.completion.values).toContain("Engineering");
    await client.close();
  });

  it("offers one server with its original names at /mcp/{server}", async () => {
    const { client } = await connect({ path: "/mcp/memory" });
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("read_graph");
    expect(names.some((n) => n.includes("__"))).toBe(false);
    const graph = await client.callTool({ name: "read_graph", arguments: {} });
    expect(JSON.stringify(graph)).toContain("ThinkWatch");
    await client.close();
  });
});

describe("policy and audit", () => {
  it("hides and refuses tools outside a key's allowed patterns", async () => {
    const limited = await admin.call<{ plaintext: string; key: { allowedMcpTools?: unknown } }>("POST", "/api/keys", {
      name: "limited",
      allowedMcpTools: ["everything__echo", "web__*"],
    });
    expect(limited.status).toBe(201);
    const { client } = await connect({ key: limited.body.plaintext });
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("everything__echo");
    expect(names).toContain("web__get-sum");
    expect(names).not.toContain("everything__get-sum");
    expect(names).not.toContain("memory__read_graph");
    await expect(client.callTool({ name: "memory__read_graph", arguments: {} })).rejects.toThrow(/not available to this key/);
    await client.close();
    const denied = await waitFor(
      () => auditEvents.find((e) => e.exposedToolName === "memory__read_graph" && e.status === "denied"),
      { what: "the denied call's audit event" },
    );
    expect(denied).toMatchObject({ errorCode: "forbidden", serverName: null });
  });

  it("publishes one audit event per call with redacted arguments and no secret header", async () => {
    const { client, transport } = await connect();
    await client.callTool({ name: "web__echo", arguments: { message: "audited", apiKey: "sk-should-not-appear" } });
    const event = await waitFor(
      () =>
        auditEvents.find((e) => typeof e.argumentsRedacted === "string" && (e.argumentsRedacted as string).includes("audited")),
      { what: "the call's audit event" },
    );
    expect(event).toMatchObject({
      status: "success",
      serverName: "Everything HTTP",
      toolName: "echo",
      exposedToolName: "web__echo",
      sessionId: transport.sessionId,
      clientName: "aggregation-test",
    });
    expect(event.argumentsRedacted).toBe('{"message":"audited","apiKey":"[redacted]"}');
    expect(JSON.stringify(auditEvents)).not.toContain("sk-should-not-appear");
    expect(JSON.stringify(auditEvents)).not.toContain("s3cr3t-header");
    await client.close();
  });

  it("never returns a server's secret headers from the console API", async () => {
    const listed = await admin.call("GET", "/api/mcp/servers");
    expect(JSON.stringify(listed.body)).not.toContain("s3cr3t-header");
    expect(JSON.stringify(listed.body)).toContain("x-upstream-token");
  });
});

describe("resilience", () => {
  it("re-initialises an upstream session transparently after the upstream restarts", async () => {
    const { client } = await connect();
    expect(text(await client.callTool({ name: "web__echo", arguments: { message: "before" } }))).toContain("before");
    await httpUpstream.restart();
    expect(text(await client.callTool({ name: "web__echo", arguments: { message: "after" } }))).toContain("after");
    await client.close();
  });

  it("continues a session on another mcp-proxy replica", async () => {
    const { client, transport } = await connect();
    expect(text(await client.callTool({ name: "everything__echo", arguments: { message: "on one" } }))).toContain("on one");
    const moved = new Client({ name: "aggregation-test", version: "1.0.0" });
    const movedTransport = new StreamableHTTPClientTransport(new URL(`${replica.gatewayUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
      sessionId: transport.sessionId as string,
    });
    // The session already exists: the client must not initialize again, so connect the transport alone.
    await movedTransport.start();
    const answer = await new Promise<unknown>((resolve, reject) => {
      movedTransport.onmessage = (message) => resolve(message);
      movedTransport.onerror = reject;
      void movedTransport
        .send({
          jsonrpc: "2.0",
          id: 99,
          method: "tools/call",
          params: { name: "everything__echo", arguments: { message: "on two" } },
        })
        .catch(reject);
    });
    expect(JSON.stringify(answer)).toContain("on two");
    await movedTransport.close();
    await moved.close().catch(() => undefined);
    await client.close();
  });

  it("ends a session on DELETE", async () => {
    const { client, transport } = await connect();
    const id = transport.sessionId as string;
    await transport.terminateSession();
    const after = await fetch(`${fleet.gatewayUrl}/mcp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        accept: "application/json",
        "mcp-session-id": id,
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    expect(after.status).toBe(404);
    await client.close();
  });

  it("refuses metadata and userinfo URLs at save, and a private upstream at connect time once private upstreams are off", async () => {
    for (const url of ["http://169.254.169.254/mcp", "http://user:pw@127.0.0.1:1/mcp", "http://metadata.google.internal/mcp"]) {
      const refused = await admin.call<{ error: { code: string; details: { fields: Record<string, string> } } }>(
        "POST",
        "/api/mcp/servers",
        { name: `bad-${url.length}`, transport: "streamable_http", url },
      );
      expect(refused.status, url).toBe(400);
      expect(refused.body.error.code).toBe("validation_failed");
      expect(refused.body.error.details.fields.url).toMatch(/metadata|link-local|user:password/);
    }
    const changed = await admin.call("PATCH", "/api/admin/settings/security", { allowPrivateUpstreams: false });
    expect(changed.status).toBe(200);
    try {
      // A new session connects anew: the HTTP upstream on 127.0.0.1 is refused on the resolved address.
      await waitFor(
        async () => {
          const { client } = await connect();
          try {
            const names = (await client.listTools()).tools.map((t) => t.name);
            return !names.includes("web__echo") && names.includes("everything__echo");
          } finally {
            await client.close();
          }
        },
        { what: "the loopback HTTP upstream to be refused", timeoutMs: 20_000 },
      );
    } finally {
      await admin.call("PATCH", "/api/admin/settings/security", { allowPrivateUpstreams: true });
    }
  });
});
