/**
 * Session housekeeping and deployment shape: abandoned sessions are reclaimed on their replica (the live count
 * drops to 0 and the heap, measured after a forced collection through the inspector, returns to its baseline; their
 * record in shared storage still lets a returning client continue), and in one-service-per-process mode mcp-proxy listens on
 * its own port beside an ai-proxy that holds the gateway port.
 */
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  connectHeapProbe,
  createConsoleClient,
  createTestEnvironment,
  type FleetProcess,
  freePort,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";

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

const METRICS_TOKEN = "sessions-metrics-token";

/** mcp_sessions_live{kind="session"} of the process, from its /metrics. */
async function liveSessions(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const line = /^mcp_sessions_live\{kind="session"\} (\d+)$/m.exec(text);
  if (line === null) throw new Error("mcp_sessions_live is missing from /metrics");
  return Number(line[1]);
}

/** Open `count` sessions (initialize only, never DELETE), 50 at a time; their ids. */
async function open(base: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let batch = 0; batch < count / 50; batch += 1) {
    const answers = await Promise.all(Array.from({ length: 50 }, () => initialize(base)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      ids.push(answer.headers.get("mcp-session-id") as string);
      await answer.arrayBuffer();
    }
  }
  return ids;
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
  it("reclaims 1,000 abandoned sessions: the live count drops to 0 and the heap returns to its baseline", async () => {
    const inspectorPort = await freePort();
    const fleet = await startFleetProcess({
      env: { ...testEnv.env, MCP_SESSION_IDLE_MS: "20000", LOG_LEVEL: "info", METRICS_BEARER_TOKEN: METRICS_TOKEN },
      services: ["mcp-proxy"],
      nodeArgs: [`--inspect=127.0.0.1:${inspectorPort}`],
    });
    started.push(fleet);
    const heap = await connectHeapProbe(inspectorPort);
    onTestFinished(() => heap.close());
    const pid = fleet.process.pid as number;
    // Warm up the code paths (first session, JIT, pools) so the baseline is the steady state of an idle gateway.
    for (const id of await open(fleet.mcpUrl, 50)) {
      const ended = await fetch(`${fleet.mcpUrl}/mcp`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${key}`, "mcp-session-id": id },
      });
      expect(ended.status).toBe(200);
    }
    expect(await liveSessions(fleet.mcpUrl)).toBe(0);
    const baseline = await heap.heapUsedAfterGc();
    const baselineRss = rssMiB(pid);

    const ids = await open(fleet.mcpUrl, 1000);
    expect(new Set(ids).size).toBe(1000);
    expect(await liveSessions(fleet.mcpUrl)).toBe(1000);
    const peak = await heap.heapUsedAfterGc();
    const peakRss = rssMiB(pid);
    await waitFor(async () => (await liveSessions(fleet.mcpUrl)) === 0, { timeoutMs: 60_000, what: "idle sessions to close" });
    const after = await heap.heapUsedAfterGc();
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      `mcp-proxy heap after gc: baseline ${mib(baseline)} MiB, 1,000 sessions ${mib(peak)} MiB, reclaimed ${mib(after)} MiB` +
        ` (RSS ${baselineRss.toFixed(1)} → ${peakRss.toFixed(1)} → ${rssMiB(pid).toFixed(1)} MiB)`,
    );
    // The sessions really held memory, and all of it but noise came back.
    expect(peak - baseline).toBeGreaterThan(5 * 1024 * 1024);
    expect(after - baseline).toBeLessThan(Math.max(2 * 1024 * 1024, (peak - baseline) * 0.1));

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
  }, 150_000);
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
