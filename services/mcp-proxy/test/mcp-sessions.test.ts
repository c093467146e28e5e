/**
 * Session housekeeping and deployment shape: abandoned sessions are reclaimed on their replica (their record in
 * shared storage still lets a returning client continue), and in one-service-per-process mode mcp-proxy listens on
 * its own port beside an ai-proxy that holds the gateway port.
 */
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  createConsoleClient,
  createTestEnvironment,
  type FleetProcess,
  freePort,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let testEnv: TestEnvironment;
let core: FleetProcess;
let key: string;
const started: FleetProcess[] = [];

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  core = await startFleetProcess({ env: testEnv.env, services: ["key-service", "admin-api"] });
  const admin = createConsoleClient(core.consoleUrl);
  await admin.initialize();
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "sessions" })).body.plaintext;
}, 120_000);

afterAll(async () => {
  for (const fleet of started) await fleet.stop();
  await core?.stop();
  await testEnv?.cleanup();
});

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function initialize(base: string): Promise<Response> {
  return fetch(`${base}/mcp`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "abandoner", version: "1" } },
    }),
  });
}

describe("session housekeeping", () => {
  it("reclaims 1,000 abandoned sessions, and a returning client still continues its session", async () => {
    const fleet = await startFleetProcess({
      env: { ...testEnv.env, MCP_SESSION_IDLE_MS: "3000", LOG_LEVEL: "info" },
      services: ["mcp-proxy"],
    });
    started.push(fleet);
    const pid = fleet.process.pid as number;
    const baseline = rssMiB(pid);
    const ids: string[] = [];
    for (let batch = 0; batch < 20; batch += 1) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => initialize(fleet.mcpUrl)));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        ids.push(answer.headers.get("mcp-session-id") as string);
        await answer.arrayBuffer();
      }
    }
    expect(new Set(ids).size).toBe(1000);
    const peak = rssMiB(pid);
    await waitFor(() => /"closed":\d+,"live":0,"msg":"closed idle MCP sessions"/.test(fleet.output()), {
      timeoutMs: 30_000,
      what: "idle sessions to be closed",
    });
    const after = rssMiB(pid);
    console.log(
      `mcp-proxy RSS: baseline ${baseline.toFixed(1)} MiB, 1,000 sessions ${peak.toFixed(1)} MiB, reclaimed ${after.toFixed(1)} MiB`,
    );
    expect(after).toBeLessThan(baseline + 64);

    // The record outlives the in-memory session: the client can come back.
    const back = await fetch(`${fleet.mcpUrl}/mcp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        accept: "application/json",
        "mcp-session-id": ids[0] as string,
      },
      body: '{"jsonrpc":"2.0","id":2,"method":"ping"}',
    });
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual({ jsonrpc: "2.0", id: 2, result: {} });
  });
});

describe("one service per process on one machine", () => {
  it("runs mcp-proxy on its own port beside an ai-proxy holding the gateway port", async () => {
    const gatewayPort = await freePort();
    // Setup is done and no provider exists, so this ai-proxy is (rightly) not ready: wait for it to be alive instead.
    const ai = await startFleetProcess({ env: testEnv.env, services: ["ai-proxy"], gatewayPort, waitReady: false });
    started.push(ai);
    await waitFor(async () => (await fetch(`${ai.gatewayUrl}/health/live`).catch(() => null))?.ok === true, {
      timeoutMs: 60_000,
      what: "ai-proxy to be alive",
    });
    expect((await fetch(`${ai.gatewayUrl}/health/ready`)).status).toBe(503);
    const mcp = await startFleetProcess({ env: { ...testEnv.env, MCP_LISTENER: "mcp" }, services: ["mcp-proxy"], gatewayPort });
    started.push(mcp);
    expect(mcp.mcpUrl).not.toBe(ai.gatewayUrl);
    const models = await fetch(`${ai.gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    const client = new Client({ name: "own-port", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${mcp.mcpUrl}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
    expect(client.getServerVersion()?.name).toBe("thinkwatch");
    await client.close();
  });
});
