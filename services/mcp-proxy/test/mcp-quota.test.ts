/**
 * Quota on MCP tool calls, through the gateway with the official MCP SDK client and the reference MCP servers: a
 * rule on one MCP server limits calls to that server only, a per-key rule on the MCP gateway limits the key's calls
 * to every server (and an AI-gateway rule does not), per-user and per-team rules likewise (the team's also on the
 * single-server endpoint). Over limit: HTTP 429 with
 * Retry-After and x-ratelimit-*, the body a JSON-RPC error naming the rule with the retry time, and a denied audit
 * event. In a (2025-03-26) batch the refused call is answered in place beside the admitted one. The stateless
 * 2026-07-28 revision (v2 SDK client) gets the same 429.
 */
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type NatsConnection, connect as natsConnect } from "@nats-io/transport-node";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  eventsOf,
  everythingStdio,
  type FleetProcess,
  memoryStdio,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let admin: ConsoleClient;
let nats: NatsConnection;
let userId: string;
let everythingId: string;
const auditEvents: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  fleet = await startFleetProcess({ env: testEnv.env, services: ["key-service", "admin-api", "quota", "mcp-proxy"] });
  admin = createConsoleClient(fleet.consoleUrl);
  ({ userId } = await admin.initialize());
  const created = await admin.call<{ server: { id: string } }>("POST", "/api/mcp/servers", {
    name: "everything",
    transport: "stdio",
    ...everythingStdio(),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  everythingId = created.body.server.id;
  const memory = await admin.call("POST", "/api/mcp/servers", {
    name: "memory",
    transport: "stdio",
    ...memoryStdio(),
    env: { MEMORY_FILE_PATH: `/tmp/tw-memory-quota-${testEnv.id}.jsonl` },
  });
  expect(memory.status, JSON.stringify(memory.body)).toBe(201);
  nats = await natsConnect({ servers: testEnv.env.NATS_URL as string });
  nats.subscribe(`${testEnv.id}.audit.v1.evt.mcp_tool_call.completed`, {
    callback: (_err, msg) => {
      auditEvents.push(...eventsOf(msg));
    },
  });
}, 120_000);

afterAll(async () => {
  await nats?.close();
  await fleet?.stop();
  await testEnv?.cleanup();
});

async function newKey(name: string, teamId?: string): Promise<{ id: string; plaintext: string }> {
  const response = await admin.call<{ key: { id: string }; plaintext: string }>("POST", "/api/keys", {
    name,
    ...(teamId === undefined ? {} : { teamId }),
  });
  expect(response.status).toBe(201);
  return { id: response.body.key.id, plaintext: response.body.plaintext };
}

async function put(path: string, body: unknown) {
  const response = await admin.call("PUT", path, body);
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
}

interface Seen {
  status: number;
  headers: Headers;
}

/** The SDK client over Streamable HTTP, with a fetch that remembers the status and headers of the last POST. */
async function connect(key: string, path = "/mcp") {
  const seen: { last: Seen | null } = { last: null };
  const client = new Client({ name: "quota-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${fleet.gatewayUrl}${path}`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === "POST") seen.last = { status: response.status, headers: response.headers };
      return response;
    },
  });
  await client.connect(transport);
  const echo = (message: string) => client.callTool({ name: "everything__echo", arguments: { message } });
  const readGraph = () => client.callTool({ name: "memory__read_graph", arguments: {} });
  return { client, transport, seen, echo, readGraph };
}

const textOf = (result: Awaited<ReturnType<Client["callTool"]>>) =>
  (result.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? "").join("");

/**
 * Calls until the rule is in force at the gateway (the rule index reaches every replica through the config KV):
 * the first answer that carries `x-ratelimit-rule: <rule>`. Returns how many more calls that answer allows.
 */
async function untilEnforced(call: () => Promise<unknown>, seen: { last: Seen | null }, rule: string): Promise<number> {
  return waitFor(
    async () => {
      await call();
      const headers = seen.last?.headers;
      return headers?.get("x-ratelimit-rule") === rule ? Number(headers.get("x-ratelimit-remaining")) : null;
    },
    { what: `the rule ${rule} in force at the gateway`, timeoutMs: 20_000 },
  );
}

const WINDOW_SECONDS: Record<string, number> = { "1m": 60, "5m": 300, "1h": 3600 };

async function expectRefused(call: () => Promise<unknown>, seen: { last: Seen | null }, rule: string, limit: number) {
  const refused = await call().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(refused).toBeInstanceOf(StreamableHTTPError);
  expect((refused as StreamableHTTPError).code).toBe(429);
  const body = JSON.parse(/Error POSTing to endpoint: (.*)$/s.exec((refused as Error).message)?.[1] ?? "null");
  expect(body).toEqual({
    jsonrpc: "2.0",
    id: expect.any(Number),
    error: {
      code: -32005,
      message: expect.stringMatching(new RegExp(`^rate limit exceeded: ${rule} \\(${limit}\\); retry after \\d+s$`)),
      data: { code: "rate_limited", rule, limit, retryAfterSeconds: expect.any(Number) },
    },
  });
  const retryAfter = Number(seen.last?.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS[rule.split("/")[1] as string] as number);
  expect(body.error.data.retryAfterSeconds).toBe(retryAfter);
  expect(seen.last?.status).toBe(429);
  expect(seen.last?.headers.get("x-ratelimit-rule")).toBe(rule);
  expect(seen.last?.headers.get("x-ratelimit-remaining")).toBe("0");
  expect(seen.last?.headers.get("x-ratelimit-limit")).toBe(String(limit));
}

describe("quota on MCP tool calls", () => {
  it("a rule on one MCP server limits calls to that server, not to the others; refusals are audited", async () => {
    await put(`/api/admin/limits/mcp_server/${everythingId}/rules`, {
      rules: [{ surface: "mcp_gateway", metric: "requests", windowSeconds: 60, limit: 4, reason: "protect everything" }],
    });
    const { client, seen, echo, readGraph } = await connect((await newKey("server-rule")).plaintext);
    const remaining = await untilEnforced(() => echo("warm-up"), seen, "mcp_server:requests/1m");
    expect(remaining).toBeLessThan(4);
    for (let i = 0; i < remaining; i++) expect(textOf(await echo(`call ${i}`))).toContain(`call ${i}`);
    await expectRefused(() => echo("one too many"), seen, "mcp_server:requests/1m", 4);

    // The other server is not under the rule: its calls go through, without quota headers.
    expect(textOf(await readGraph())).toContain("entities");
    expect(seen.last?.status).toBe(200);
    expect(seen.last?.headers.get("x-ratelimit-rule")).toBeNull();

    const denied = await waitFor(
      () =>
        auditEvents.find(
          (e) => e.exposedToolName === "everything__echo" && e.status === "denied" && e.errorCode === "rate_limited",
        ),
      { what: "the refused call's audit event" },
    );
    expect(denied).toMatchObject({
      serverId: everythingId,
      serverName: "everything",
      toolName: "echo",
      errorMessage: expect.stringContaining("mcp_server:requests/1m"),
      argumentsRedacted: JSON.stringify({ message: "one too many" }),
      userId,
    });
    await client.close();
    await put(`/api/admin/limits/mcp_server/${everythingId}/rules`, { rules: [] });
  });

  it("a per-key rule on the MCP gateway limits the key's calls to every server; its AI-gateway rule does not apply", async () => {
    const key = await newKey("key-rule");
    await put(`/api/admin/limits/api_key/${key.id}/rules`, {
      rules: [
        { surface: "mcp_gateway", metric: "requests", windowSeconds: 300, limit: 3 },
        { surface: "ai_gateway", metric: "requests", windowSeconds: 60, limit: 0 },
      ],
    });
    const { client, seen, echo, readGraph } = await connect(key.plaintext);
    const remaining = await untilEnforced(() => readGraph(), seen, "api_key:requests/5m");
    for (let i = 0; i < remaining; i++) await (i % 2 === 0 ? echo("within") : readGraph());
    await expectRefused(() => readGraph(), seen, "api_key:requests/5m", 3);
    await expectRefused(() => echo("also refused"), seen, "api_key:requests/5m", 3);
    // Listing tools is not a tool call: never counted, never refused.
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);

    // Another key of the same user is not under this key's rule.
    const other = await connect((await newKey("key-rule-other")).plaintext);
    expect(textOf(await other.echo("free"))).toContain("free");
    await other.client.close();
    await client.close();
  });

  it("a per-user rule on the MCP gateway covers all of the user's keys, and the usage counts the calls", async () => {
    await put(`/api/admin/limits/user/${userId}/rules`, {
      rules: [{ surface: "mcp_gateway", metric: "requests", windowSeconds: 3600, limit: 5 }],
    });
    const first = await connect((await newKey("user-rule-1")).plaintext);
    const second = await connect((await newKey("user-rule-2")).plaintext);
    let remaining = await untilEnforced(() => first.echo("warm-up"), first.seen, "user:requests/1h");
    while (remaining > 0) {
      await (remaining % 2 === 0 ? first : second).echo("shared");
      remaining -= 1;
    }
    await expectRefused(() => second.echo("over"), second.seen, "user:requests/1h", 5);
    await expectRefused(() => first.readGraph(), first.seen, "user:requests/1h", 5);

    const usage = await admin.call<{ rules: Array<{ label: string; used: number; remaining: number }> }>(
      "GET",
      `/api/admin/limits/user/${userId}/usage`,
    );
    expect(usage.body.rules).toEqual([expect.objectContaining({ label: "user:requests/1h", used: 5, remaining: 0 })]);
    await first.client.close();
    await second.client.close();
  });

  it("answers a refused call inside a batch (protocol 2025-03-26) in place, beside the admitted one", async () => {
    // The user's rule from the previous test still refuses everything: lift it, and put a per-key rule of one call.
    await put(`/api/admin/limits/user/${userId}/rules`, { rules: [] });
    const key = await newKey("batch");
    await put(`/api/admin/limits/api_key/${key.id}/rules`, {
      rules: [{ surface: "mcp_gateway", metric: "requests", windowSeconds: 60, limit: 1 }],
    });
    const post = (body: unknown, session?: string) =>
      fetch(`${fleet.gatewayUrl}/mcp`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key.plaintext}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...(session === undefined ? {} : { "mcp-session-id": session, "mcp-protocol-version": "2025-03-26" }),
        },
        body: JSON.stringify(body),
      });
    const opened = await post({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "batcher", version: "1" } },
    });
    expect(opened.status).toBe(200);
    const session = opened.headers.get("mcp-session-id") as string;
    await opened.text();
    expect((await post({ jsonrpc: "2.0", method: "notifications/initialized" }, session)).status).toBe(202);
    let nextId = 1;
    const call = (message: string) => ({
      jsonrpc: "2.0",
      id: nextId++,
      method: "tools/call",
      params: { name: "everything__echo", arguments: { message } },
    });
    type Frame = { id: number; result?: unknown; error?: { code: number; message: string; data: unknown } };
    const framesOf = (text: string): Frame[] =>
      text
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => JSON.parse(line.slice(6)) as Frame);
    // Until the rule index lists the key, calls are not counted; the first counted one spends the window's one call.
    await waitFor(
      async () => {
        const response = await post(call("probe"), session);
        await response.text();
        return response.headers.get("x-ratelimit-rule") === "api_key:requests/1m" || response.status === 429;
      },
      { what: "the per-key rule in force", timeoutMs: 20_000 },
    );
    // Two calls per window now, one spent: of a batch of two, exactly one fits (the other is refused in place).
    await put(`/api/admin/limits/api_key/${key.id}/rules`, {
      rules: [{ surface: "mcp_gateway", metric: "requests", windowSeconds: 60, limit: 2 }],
    });
    const batch = await waitFor(
      async () => {
        const sent = [call("first"), call("second")];
        const response = await post(sent, session);
        const frames = framesOf(await response.text());
        const refused = frames.filter((f) => f.error !== undefined);
        return refused.length === 1 ? { response, frames, sent, refused: refused[0] as Frame } : null;
      },
      { what: "a batch with one admitted and one refused call", timeoutMs: 20_000 },
    );
    expect(batch.response.status).toBe(200);
    expect(batch.frames).toHaveLength(2);
    expect(batch.frames.filter((f) => f.result !== undefined)).toHaveLength(1);
    expect(batch.refused.error).toEqual({
      code: -32005,
      message: expect.stringMatching(/^rate limit exceeded: api_key:requests\/1m \(2\); retry after \d+s$/),
      data: { code: "rate_limited", rule: "api_key:requests/1m", limit: 2, retryAfterSeconds: expect.any(Number) },
    });
    expect(new Set(batch.frames.map((f) => f.id))).toEqual(new Set(batch.sent.map((m) => m.id)));
  });

  it("a team rule covers every key of the team, on the single-server endpoint /mcp/{server} too", async () => {
    const team = await admin.call<{ team: { id: string } }>("POST", "/api/admin/teams", { name: "Platform" });
    expect(team.status).toBe(201);
    const teamId = team.body.team.id;
    await put(`/api/admin/limits/team/${teamId}/rules`, {
      rules: [{ surface: "mcp_gateway", metric: "requests", windowSeconds: 60, limit: 3 }],
    });
    const one = await connect((await newKey("team-1", teamId)).plaintext, "/mcp/everything");
    const two = await connect((await newKey("team-2", teamId)).plaintext);
    const echoOne = () => one.client.callTool({ name: "echo", arguments: { message: "single server" } });
    let remaining = await untilEnforced(echoOne, one.seen, "team:requests/1m");
    while (remaining > 0) {
      await (remaining % 2 === 0 ? echoOne() : two.echo("aggregated"));
      remaining -= 1;
    }
    await expectRefused(() => two.echo("over"), two.seen, "team:requests/1m", 3);
    await expectRefused(echoOne, one.seen, "team:requests/1m", 3);
    // A key outside the team is not counted against it.
    const outsider = await connect((await newKey("no-team")).plaintext);
    expect(textOf(await outsider.echo("outside"))).toContain("outside");
    for (const c of [one, two, outsider]) await c.client.close();
  });

  it("the stateless 2026-07-28 revision: an over-limit tools/call is answered HTTP 429 with Retry-After, as with sessions", async () => {
    const key = await newKey("stateless");
    await put(`/api/admin/limits/api_key/${key.id}/rules`, {
      rules: [{ surface: "mcp_gateway", metric: "requests", windowSeconds: 60, limit: 2 }],
    });
    const seen: { last: (Seen & { body: string }) | null } = { last: null };
    const client = new ModernClient(
      { name: "quota-modern", version: "1.0.0" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    await client.connect(
      new ModernTransport(new URL(`${fleet.gatewayUrl}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${key.plaintext}` } },
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (init?.method === "POST" && String(init.body).includes('"tools/call"')) {
            seen.last = { status: response.status, headers: response.headers, body: await response.clone().text() };
          }
          return response;
        },
      }),
    );
    expect(client.getNegotiatedProtocolVersion?.() ?? "2026-07-28").toBe("2026-07-28");
    const echo = () => client.callTool({ name: "everything__echo", arguments: { message: "stateless" } });
    let remaining = await untilEnforced(echo, seen, "api_key:requests/1m");
    while (remaining > 0) {
      expect(seen.last?.status).toBe(200);
      await echo();
      remaining -= 1;
    }
    await expect(echo()).rejects.toThrow();
    expect(seen.last?.status).toBe(429);
    expect(seen.last?.headers.get("mcp-session-id")).toBeNull();
    const retryAfter = Number(seen.last?.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(seen.last?.headers.get("x-ratelimit-rule")).toBe("api_key:requests/1m");
    expect(seen.last?.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(JSON.parse(seen.last?.body ?? "null")).toEqual({
      jsonrpc: "2.0",
      id: expect.anything(),
      error: {
        code: -32005,
        message: expect.stringMatching(/^rate limit exceeded: api_key:requests\/1m \(2\); retry after \d+s$/),
        data: { code: "rate_limited", rule: "api_key:requests/1m", limit: 2, retryAfterSeconds: retryAfter },
      },
    });
    await waitFor(
      () => auditEvents.some((e) => e.apiKeyId === key.id && e.status === "denied" && e.errorCode === "rate_limited"),
      { what: "the denied audit event of the stateless call", timeoutMs: 10_000 },
    );
    await client.close();
  });
});
