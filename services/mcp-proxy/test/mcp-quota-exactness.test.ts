/**
 * MCP tool-call quota stays exact across replicas: two mcp-proxy processes and two quota processes on one NATS, a
 * rule of 30 calls a minute on one MCP server, and 120 concurrent tools/call from clients spread over both gateways
 * (several calls in flight per session, so the edges batch their checks). Exactly the rule's remaining room passes;
 * every other call is refused with HTTP 429 and -32005, and the server's usage reads 30.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  everythingStdio,
  type FleetProcess,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const LIMIT = 30;
const RULE = "mcp_server:requests/1m";

let testEnv: TestEnvironment;
let core: FleetProcess;
let quotaB: FleetProcess;
let edges: FleetProcess[] = [];
let admin: ConsoleClient;
let serverId: string;
let key: string;

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  core = await startFleetProcess({ env: testEnv.env, services: ["key-service", "admin-api", "quota"] });
  quotaB = await startFleetProcess({ env: testEnv.env, services: ["quota"], waitReady: false });
  admin = createConsoleClient(core.consoleUrl);
  await admin.initialize();
  const created = await admin.call<{ server: { id: string } }>("POST", "/api/mcp/servers", {
    name: "everything",
    transport: "stdio",
    ...everythingStdio(),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  serverId = created.body.server.id;
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "exactness" })).body.plaintext;
  edges = await Promise.all([0, 1].map(() => startFleetProcess({ env: testEnv.env, services: ["mcp-proxy"] })));
}, 180_000);

afterAll(async () => {
  for (const edge of edges) await edge.stop();
  await quotaB?.stop();
  await core?.stop();
  await testEnv?.cleanup();
});

async function connect(edge: FleetProcess) {
  const client = new Client({ name: "exactness", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${edge.gatewayUrl}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  return client;
}

type Outcome = "ok" | "refused" | "other";

async function call(client: Client, n: number): Promise<Outcome> {
  try {
    const result = await client.callTool({ name: "everything__echo", arguments: { message: `call ${n}` } });
    return result.isError === true ? "other" : "ok";
  } catch (caught) {
    if (caught instanceof StreamableHTTPError && caught.code === 429 && caught.message.includes('"code":-32005'))
      return "refused";
    return "other";
  }
}

describe("MCP tool-call quota across two gateways and two quota replicas", () => {
  it(`120 concurrent calls against ${LIMIT}/min on one server: exactly the room left passes`, async () => {
    const response = await admin.call("PUT", `/api/admin/limits/mcp_server/${serverId}/rules`, {
      rules: [{ surface: "mcp_gateway", metric: "requests", windowSeconds: 60, limit: LIMIT }],
    });
    expect(response.status).toBe(200);
    const clients = await Promise.all(Array.from({ length: 6 }, (_, n) => connect(edges[n % 2] as FleetProcess)));
    // The rule reaches both edges through the config KV: wait until each one refuses or counts under it, spending
    // as few calls as possible (one per edge per try), and count what was spent.
    let spent = 0;
    for (const client of clients.slice(0, 2)) {
      await waitFor(
        async () => {
          spent += 1;
          const usage = await admin.call<{ rules: Array<{ label: string; used: number }> }>(
            "GET",
            `/api/admin/limits/mcp_server/${serverId}/usage`,
          );
          const before = usage.body.rules.find((r) => r.label === RULE)?.used ?? 0;
          await call(client, -spent);
          const after = await admin.call<{ rules: Array<{ label: string; used: number }> }>(
            "GET",
            `/api/admin/limits/mcp_server/${serverId}/usage`,
          );
          return (after.body.rules.find((r) => r.label === RULE)?.used ?? 0) > before;
        },
        { what: "the rule in force at this edge", timeoutMs: 30_000 },
      );
    }
    const usage = await admin.call<{ rules: Array<{ label: string; used: number }> }>(
      "GET",
      `/api/admin/limits/mcp_server/${serverId}/usage`,
    );
    const used = usage.body.rules.find((r) => r.label === RULE)?.used ?? 0;
    const room = LIMIT - used;
    expect(room).toBeGreaterThan(10);

    const outcomes = await Promise.all(Array.from({ length: 120 }, (_, n) => call(clients[n % clients.length] as Client, n)));
    expect(outcomes.filter((o) => o === "other")).toEqual([]);
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(room);
    expect(outcomes.filter((o) => o === "refused")).toHaveLength(120 - room);

    const after = await admin.call<{ rules: Array<{ label: string; used: number; remaining: number }> }>(
      "GET",
      `/api/admin/limits/mcp_server/${serverId}/usage`,
    );
    expect(after.body.rules).toEqual([expect.objectContaining({ label: RULE, used: LIMIT, remaining: 0 })]);
    await Promise.all(clients.map((client) => client.close()));
  });
});
