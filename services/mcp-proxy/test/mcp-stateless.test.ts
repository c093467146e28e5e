/**
 * The stateless 2026-07-28 revision on the gateway's /mcp URLs, driven by the official v2 SDK client (pinned to the
 * revision: `server/discover` at connect, `_meta` envelope and Mcp-Method/Mcp-Name headers on every request) and by
 * raw HTTP for the revision's error answers; a v1 client with sessions keeps working on the same URL.
 */
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  createConsoleClient,
  createTestEnvironment,
  everythingStdio,
  type FleetProcess,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MODERN = "2026-07-28";
let testEnv: TestEnvironment;
let fleet: FleetProcess;
let key: string;
let echoOnlyKey: string;

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  fleet = await startFleetProcess({ env: testEnv.env, services: ["key-service", "admin-api", "mcp-proxy"] });
  const admin = createConsoleClient(fleet.consoleUrl);
  await admin.initialize();
  const created = await admin.call("POST", "/api/mcp/servers", { name: "everything", transport: "stdio", ...everythingStdio() });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "modern" })).body.plaintext;
  echoOnlyKey = (
    await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "echo-only", allowedMcpTools: ["everything__echo"] })
  ).body.plaintext;
}, 120_000);

afterAll(async () => {
  await fleet?.stop();
  await testEnv?.cleanup();
});

async function modern(path = "/mcp", withKey = key) {
  const client = new ModernClient(
    { name: "stateless-test", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: MODERN } } },
  );
  const transport = new ModernTransport(new URL(`${fleet.gatewayUrl}${path}`), {
    requestInit: { headers: { authorization: `Bearer ${withKey}` } },
  });
  await client.connect(transport);
  return client;
}

function text(result: unknown): string {
  return (((result as { content?: unknown }).content ?? []) as Array<{ type: string; text?: string }>)
    .map((c) => c.text ?? "")
    .join("\n");
}

const envelope = (extra: Record<string, unknown> = {}) => ({
  _meta: {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
  },
  ...extra,
});

function post(body: unknown, headers: Record<string, string>, path = "/mcp") {
  return fetch(`${fleet.gatewayUrl}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${key}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

async function answer(response: Response): Promise<Record<string, unknown>> {
  const body = await response.text();
  if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) return JSON.parse(body);
  const data = body
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
  const last = data.findLast((m) => "result" in m || "error" in m);
  if (last === undefined) throw new Error(`no answer in ${body}`);
  return last;
}

describe("the 2026-07-28 revision through the gateway (v2 SDK client)", () => {
  it("discovers the gateway with server/discover and negotiates the revision without a session", async () => {
    const client = await modern();
    expect(client.getNegotiatedProtocolVersion?.() ?? MODERN).toBe(MODERN);
    expect(client.getServerVersion()).toMatchObject({ name: "thinkwatch" });
    expect(client.getServerCapabilities()).toMatchObject({ tools: { listChanged: true } });
    await client.close();
  });

  it("lists the aggregated tools and calls one, with progress, statelessly", async () => {
    const client = await modern();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("everything__echo");
    expect(text(await client.callTool({ name: "everything__echo", arguments: { message: "stateless hello" } }))).toContain(
      "stateless hello",
    );
    const steps: number[] = [];
    const long = await client.callTool(
      { name: "everything__trigger-long-running-operation", arguments: { duration: 1, steps: 3 } },
      { onprogress: (p) => steps.push(p.progress) },
    );
    expect(text(long)).toMatch(/completed/i);
    expect(steps).toEqual([1, 2, 3]);
    await client.close();
  });

  it("serves /mcp/{server} with original names and applies the key's tool policy", async () => {
    const single = await modern("/mcp/everything");
    expect((await single.listTools()).tools.map((t) => t.name)).toContain("echo");
    expect(text(await single.callTool({ name: "get-sum", arguments: { a: 1, b: 2 } }))).toContain("3");
    await single.close();
    const limited = await modern("/mcp", echoOnlyKey);
    expect((await limited.listTools()).tools.map((t) => t.name)).toEqual(["everything__echo"]);
    await expect(limited.callTool({ name: "everything__get-sum", arguments: { a: 1, b: 2 } })).rejects.toThrow(
      /not available to this key/,
    );
    await limited.close();
  });

  it("keeps the session-based revisions working on the same URL", async () => {
    const client = new Client({ name: "legacy", version: "1" });
    const transport = new StreamableHTTPClientTransport(new URL(`${fleet.gatewayUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    });
    await client.connect(transport);
    expect(transport.sessionId).toBeDefined();
    expect(text(await client.callTool({ name: "everything__echo", arguments: { message: "legacy" } }))).toContain("legacy");
    await client.close();
  });
});

describe("server→client questions on the stateless revision", () => {
  it("relays an upstream's elicitation and sampling as input_required round trips the v2 client answers", async () => {
    const client = new ModernClient(
      { name: "stateless-asked", version: "1.0.0" },
      { capabilities: { elicitation: {}, sampling: {} }, versionNegotiation: { mode: { pin: MODERN } } },
    );
    const asked: string[] = [];
    client.setRequestHandler("elicitation/create", async (request) => {
      asked.push(`elicitation: ${request.params.message}`);
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
    client.setRequestHandler("sampling/createMessage", async () => {
      asked.push("sampling");
      return { role: "assistant", model: "test-model", content: { type: "text", text: "sampled by the client" } };
    });
    const rounds: Array<{ resultType: unknown; requestState: boolean }> = [];
    const transport = new ModernTransport(new URL(`${fleet.gatewayUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const sent = String(init?.body ?? "");
        if (sent.includes('"tools/call"')) {
          const body = await answer(response.clone());
          rounds.push({
            resultType: (body.result as { resultType?: unknown } | undefined)?.resultType,
            requestState: sent.includes('"requestState"'),
          });
        }
        return response;
      },
    });
    await client.connect(transport);
    // The reference server registers these tools once its client (the gateway, offering what this client declared)
    // has finished initializing.
    await waitFor(async () => (await client.listTools()).tools.some((t) => t.name === "everything__trigger-sampling-request"), {
      what: "the upstream's elicitation and sampling tools",
      timeoutMs: 10_000,
    });
    const elicited = await client.callTool({ name: "everything__trigger-elicitation-request", arguments: {} });
    expect(JSON.stringify(elicited)).toMatch(/accept/);
    const sampled = await client.callTool({
      name: "everything__trigger-sampling-request",
      arguments: { prompt: "say something" },
    });
    expect(JSON.stringify(sampled)).toContain("sampled by the client");
    expect(asked).toEqual([expect.stringMatching(/^elicitation: /), "sampling"]);
    // Each call: a first POST answered input_required, then a retry carrying requestState answered with the result.
    expect(rounds, JSON.stringify(rounds)).toEqual([
      { resultType: "input_required", requestState: false },
      { resultType: "complete", requestState: true },
      { resultType: "input_required", requestState: false },
      { resultType: "complete", requestState: true },
    ]);
    await client.close();
  });

  it("refuses a requestState it does not hold", async () => {
    const response = await post(
      {
        jsonrpc: "2.0",
        id: 9,
        method: "tools/call",
        params: envelope({
          name: "everything__echo",
          arguments: { message: "x" },
          requestState: "forged",
          inputResponses: { upstream: { action: "decline" } },
        }),
      },
      { "mcp-protocol-version": MODERN, "mcp-method": "tools/call", "mcp-name": "everything__echo" },
    );
    expect(await answer(response)).toMatchObject({
      id: 9,
      error: { code: -32602, message: "requestState is unknown or expired" },
    });
  });
});

describe("the revision's wire rules", () => {
  const headers = { "mcp-protocol-version": MODERN };

  it("answers server/discover with the supported versions and no session header", async () => {
    const response = await post(
      { jsonrpc: "2.0", id: 1, method: "server/discover", params: envelope() },
      { ...headers, "mcp-method": "server/discover" },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    const body = await answer(response);
    expect(body.result).toMatchObject({
      supportedVersions: expect.arrayContaining([MODERN]),
      capabilities: { tools: { listChanged: true } },
      _meta: { "io.modelcontextprotocol/serverInfo": { name: "thinkwatch" } },
    });
  });

  it("answers GET and DELETE without a session with 405: Allow POST for this revision, the session methods otherwise", async () => {
    for (const method of ["GET", "DELETE"]) {
      const modernAnswer = await fetch(`${fleet.gatewayUrl}/mcp`, {
        method,
        headers: { authorization: `Bearer ${key}`, accept: "text/event-stream", ...headers },
      });
      expect(modernAnswer.status, method).toBe(405);
      expect(modernAnswer.headers.get("allow")).toBe("POST");
      expect(await modernAnswer.json()).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32000 } });
      const legacyAnswer = await fetch(`${fleet.gatewayUrl}/mcp`, {
        method,
        headers: { authorization: `Bearer ${key}`, accept: "text/event-stream" },
      });
      expect(legacyAnswer.status, method).toBe(405);
      expect(legacyAnswer.headers.get("allow")).toBe("GET, POST, DELETE");
      await legacyAnswer.body?.cancel();
    }
  });

  it("refuses an Mcp-Method header that disagrees with the body with -32020 and HTTP 400", async () => {
    const response = await post(
      { jsonrpc: "2.0", id: 2, method: "tools/list", params: envelope() },
      { ...headers, "mcp-method": "prompts/list" },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ jsonrpc: "2.0", id: 2, error: { code: -32020 } });
  });

  it("refuses an Mcp-Name header that disagrees with the tool named in the body", async () => {
    const response = await post(
      {
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: envelope({ name: "everything__echo", arguments: { message: "x" } }),
      },
      { ...headers, "mcp-method": "tools/call", "mcp-name": "everything__get-sum" },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ id: 3, error: { code: -32020 } });
  });

  it("refuses an unsupported revision in the envelope, naming the supported ones", async () => {
    const params = envelope();
    params._meta["io.modelcontextprotocol/protocolVersion"] = "2099-01-01";
    const response = await post(
      { jsonrpc: "2.0", id: 4, method: "tools/list", params },
      { "mcp-protocol-version": "2099-01-01", "mcp-method": "tools/list" },
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: number; data?: { supported?: string[] } } };
    expect(body.error.data?.supported).toContain(MODERN);
  });

  it("answers an unknown method with -32601 and a request without the MCP-Protocol-Version header with 400", async () => {
    const unknown = await post(
      { jsonrpc: "2.0", id: 5, method: "tools/frobnicate", params: envelope() },
      { ...headers, "mcp-method": "tools/frobnicate" },
    );
    expect(await answer(unknown)).toMatchObject({ id: 5, error: { code: -32601 } });
    const missing = await post(
      { jsonrpc: "2.0", id: 6, method: "tools/list", params: envelope() },
      { "mcp-method": "tools/list" },
    );
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ id: 6, error: { code: expect.any(Number) } });
  });

  it("still authenticates: no key gives 401 with the protected-resource metadata", async () => {
    const response = await fetch(`${fleet.gatewayUrl}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
      body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "server/discover", params: envelope() }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("resource_metadata=");
  });

  it("opens a subscriptions/listen stream that acknowledges the subscription", async () => {
    const controller = new AbortController();
    const response = await post(
      {
        jsonrpc: "2.0",
        id: 8,
        method: "subscriptions/listen",
        params: envelope({ notifications: { toolsListChanged: true } }),
      },
      { ...headers, "mcp-method": "subscriptions/listen" },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain("notifications/subscriptions/acknowledged");
    controller.abort();
    await reader.cancel();
  });
});
