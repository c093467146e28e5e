/**
 * The edges when quota does not answer in time, on the real NATS: the fleet runs without the quota service, the rule
 * index lists the caller (so both edges must ask), and a "paused" quota — a responder on quota.v1.check_batch that
 * never replies — holds every check past QUOTA_CHECK_TIMEOUT_MS. The fail policy (`security.rateLimitFailClosed`)
 * decides: fail open lets MCP tool calls and AI requests through, fail closed refuses both with 429
 * rate_limiter_unavailable in the caller's API shape; each edge logs gateway_rate_limiter_fail_open/_closed.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type Bus, connectBus, openConfigStore } from "@thinkwatch/bus";
import { createLogger } from "@thinkwatch/log";
import { CONFIG_KEYS, QuotaCheckBatch } from "@thinkwatch/proto";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  everythingStdio,
  type FakeUpstream,
  type FleetProcess,
  startFakeUpstream,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const TIMEOUT_MS = 400;

let testEnv: TestEnvironment;
let upstream: FakeUpstream;
let fleet: FleetProcess;
let admin: ConsoleClient;
let bus: Bus;
let key: string;
let mcp: Client;
let openai: OpenAI;
let checksHeld = 0;

beforeAll(async () => {
  [testEnv, upstream] = await Promise.all([createTestEnvironment(), startFakeUpstream({ kind: "openai", record: false })]);
  fleet = await startFleetProcess({
    // Warnings on: the edges' fail-policy lines are part of what is checked.
    env: { ...testEnv.env, LOG_LEVEL: "warn", QUOTA_CHECK_TIMEOUT_MS: String(TIMEOUT_MS) },
    services: ["key-service", "admin-api", "ai-proxy", "mcp-proxy"],
  });
  admin = createConsoleClient(fleet.consoleUrl);
  const { userId } = await admin.initialize();
  const provider = await admin.call("POST", "/api/admin/providers", {
    name: "openai",
    kind: "openai",
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
  });
  expect(provider.status).toBe(201);
  const server = await admin.call("POST", "/api/mcp/servers", { name: "everything", transport: "stdio", ...everythingStdio() });
  expect(server.status).toBe(201);
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "agent" })).body.plaintext;

  const log = createLogger({ service: "test", level: "silent" });
  bus = await connectBus({ url: testEnv.env.NATS_URL as string, namespace: testEnv.id, name: "paused-quota", log });
  // The paused quota: takes every check and never answers.
  bus.serve(QuotaCheckBatch, async () => {
    checksHeld += 1;
    return new Promise<never>(() => undefined);
  });
  // What quota would publish after a rule is set on the user: the user has a rule on both surfaces.
  const config = await openConfigStore(bus, log);
  await config.put(CONFIG_KEYS.quotaIndex, { revision: Date.now(), ai: [`user:${userId}`], mcp: [`user:${userId}`] });

  mcp = new Client({ name: "fail-policy-test", version: "1.0.0" });
  await mcp.connect(
    new StreamableHTTPClientTransport(new URL(`${fleet.gatewayUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  openai = new OpenAI({ apiKey: key, baseURL: `${fleet.gatewayUrl}/v1`, maxRetries: 0 });
}, 180_000);

afterAll(async () => {
  await mcp?.close();
  await bus?.close(500);
  await fleet?.stop();
  await upstream?.close();
  await testEnv?.cleanup();
});

const echo = () => mcp.callTool({ name: "everything__echo", arguments: { message: "checked?" } });
const chat = () =>
  openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hello" }] }).withResponse();

async function setFailClosed(failClosed: boolean) {
  const response = await admin.call("PATCH", "/api/admin/settings/security", { rateLimitFailClosed: failClosed });
  expect(response.status).toBe(200);
}

describe("quota paused past QUOTA_CHECK_TIMEOUT_MS", () => {
  it("fail open (the default): tool calls and AI requests go through once the wait is over, and the edges say so", async () => {
    // Once the index reached both edges, each call waits for the paused quota, then goes through.
    await waitFor(
      async () => {
        const before = checksHeld;
        const started = Date.now();
        await echo();
        await chat();
        return checksHeld >= before + 2 && Date.now() - started >= 2 * TIMEOUT_MS - 50;
      },
      { what: "both edges asking the paused quota", timeoutMs: 30_000 },
    );
    const result = await echo();
    expect(result.isError).toBeFalsy();
    const { response } = await chat();
    expect(response.status).toBe(200);
    await waitFor(() => fleet.output().includes('"event":"gateway_rate_limiter_fail_open"'), {
      what: "the fail-open warning",
    });
  });

  it("fail closed: the same wait ends in 429 rate_limiter_unavailable, in MCP's and in OpenAI's shape", async () => {
    await setFailClosed(true);
    const refused = await waitFor(
      async () =>
        echo().then(
          () => null,
          (caught: unknown) => caught as StreamableHTTPError,
        ),
      { what: "the MCP call refused", timeoutMs: 30_000 },
    );
    expect(refused).toBeInstanceOf(StreamableHTTPError);
    expect(refused.code).toBe(429);
    const body = JSON.parse(/Error POSTing to endpoint: (.*)$/s.exec(refused.message)?.[1] ?? "null");
    expect(body).toEqual({
      jsonrpc: "2.0",
      id: expect.any(Number),
      error: {
        code: -32005,
        message: "rate_limiter_unavailable: quota could not check this tool call and the policy refuses unchecked calls",
        data: { code: "rate_limiter_unavailable", rule: "rate_limiter_unavailable", limit: 0, retryAfterSeconds: 1 },
      },
    });

    const aiRefusal = await waitFor(
      async () =>
        chat().then(
          () => null,
          (caught: unknown) => caught as InstanceType<typeof OpenAI.APIError>,
        ),
      { what: "the AI request refused", timeoutMs: 30_000 },
    );
    expect(aiRefusal).toBeInstanceOf(OpenAI.APIError);
    expect(aiRefusal.status).toBe(429);
    expect(aiRefusal.message).toContain("rate_limiter_unavailable");
    expect(aiRefusal.headers?.get("retry-after")).toBe("1");
    await waitFor(() => fleet.output().includes('"event":"gateway_rate_limiter_fail_closed"'), {
      what: "the fail-closed warning",
    });
  });

  it("back to fail open: requests go through again without a restart", async () => {
    await setFailClosed(false);
    await waitFor(
      async () => {
        await echo();
        return true;
      },
      {
        what: "the MCP call admitted again",
        timeoutMs: 30_000,
      },
    );
    await waitFor(async () => (await chat()).response.status === 200, {
      what: "the AI request admitted again",
      timeoutMs: 30_000,
    });
  });
});
