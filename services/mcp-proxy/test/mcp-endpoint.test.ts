/**
 * /mcp as the official MCP SDK client sees it: a virtual key enabled for the MCP gateway connects over Streamable
 * HTTP and completes the handshake; keys without the surface are refused. (Upstream servers arrive with the MCP
 * gateway; today the endpoint aggregates none, so its tool list is empty.)
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  createConsoleClient,
  createTestEnvironment,
  type FleetProcess,
  startFleetProcess,
  type TestEnvironment,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let mcpKey: string;
let aiOnlyKey: string;

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  fleet = await startFleetProcess({ env: testEnv.env, services: ["key-service", "admin-api", "mcp-proxy"] });
  const admin = createConsoleClient(fleet.consoleUrl);
  await admin.initialize();
  mcpKey = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "mcp" })).body.plaintext;
  aiOnlyKey = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "ai", surfaces: ["ai_gateway"] })).body
    .plaintext;
});

afterAll(async () => {
  await fleet?.stop();
  await testEnv?.cleanup();
});

function connect(key: string) {
  const client = new Client({ name: "thinkwatch-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${fleet.gatewayUrl}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  });
  return { client, connected: client.connect(transport) };
}

describe("/mcp with the MCP SDK client", () => {
  it("completes the handshake and lists the (empty) aggregated tools", async () => {
    const { client, connected } = connect(mcpKey);
    await connected;
    expect(client.getServerVersion()).toEqual({ name: "thinkwatch", version: "0.1.0" });
    expect(client.getServerCapabilities()).toMatchObject({ tools: {} });
    expect(await client.listTools()).toEqual({ tools: [] });
    await client.ping();
    await client.close();
  });

  it("refuses a key that is not enabled for the MCP gateway", async () => {
    const { connected } = connect(aiOnlyKey);
    await expect(connected).rejects.toThrow(/403|not enabled for the MCP gateway/);
  });

  it("answers malformed JSON-RPC with JSON-RPC errors", async () => {
    const post = (body: string) =>
      fetch(`${fleet.gatewayUrl}/mcp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          authorization: `Bearer ${mcpKey}`,
        },
        body,
      });
    const parseError = await post("{nope");
    expect(parseError.status).toBe(400);
    expect(await parseError.json()).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32700 } });
    const unknown = await post('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x"}}');
    expect(await unknown.json()).toEqual({
      jsonrpc: "2.0",
      id: 7,
      error: { code: -32601, message: "method not found: tools/call" },
    });
  });
});
