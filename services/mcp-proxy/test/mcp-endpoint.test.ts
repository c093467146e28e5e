/**
 * /mcp as the official MCP SDK client sees it with no upstream servers registered: the handshake, keys without the
 * MCP surface refused, 401 pointing at the protected-resource metadata, and the transport's error answers.
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
  return { client, transport, connected: client.connect(transport) };
}

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${fleet.gatewayUrl}/mcp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${mcpKey}`,
      ...headers,
    },
    body,
  });

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});

describe("/mcp with the MCP SDK client", () => {
  it("completes the handshake, issues a session and lists the (empty) aggregated tools", async () => {
    const { client, transport, connected } = connect(mcpKey);
    await connected;
    expect(client.getServerVersion()).toEqual({ name: "thinkwatch", version: "0.1.0" });
    expect(client.getServerCapabilities()).toMatchObject({ tools: { listChanged: true }, prompts: {}, resources: {} });
    expect(transport.sessionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await client.listTools()).toEqual({ tools: [] });
    await client.ping();
    await transport.terminateSession();
    await client.close();
  });

  it("refuses a key that is not enabled for the MCP gateway", async () => {
    const { connected } = connect(aiOnlyKey);
    await expect(connected).rejects.toThrow(/403|not enabled for the MCP gateway/);
  });

  it("answers an unauthenticated request with 401 and the protected-resource metadata's address", async () => {
    const response = await post(INITIALIZE, { authorization: "" });
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    expect(challenge).toMatch(
      /^Bearer resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"$/,
    );
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] as string;
    const metadata = await (await fetch(metadataUrl)).json();
    expect(metadata).toMatchObject({ resource: `${fleet.gatewayUrl}/mcp`, bearer_methods_supported: ["header"] });
  });
});

describe("/mcp transport errors", () => {
  it("answers malformed JSON with a parse error", async () => {
    const response = await post("{nope");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32700 } });
  });

  it("answers a message that is not JSON-RPC with an invalid-request error", async () => {
    const response = await post('{"hello":"world"}');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32600 } });
  });

  it("requires a session for everything but initialize, and 404s an unknown one", async () => {
    const ping = '{"jsonrpc":"2.0","id":2,"method":"ping"}';
    const missing = await post(ping);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { message: "Bad Request: Mcp-Session-Id header is required" } });
    const unknown = await post(ping, { "mcp-session-id": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: -32600, message: "Session not found" } });
  });

  it("answers an unknown method with method-not-found in the session, and refuses batches in 2025-11-25", async () => {
    const opened = await post(INITIALIZE, { accept: "application/json" });
    expect(opened.status).toBe(200);
    const session = opened.headers.get("mcp-session-id") as string;
    expect(await opened.json()).toMatchObject({ jsonrpc: "2.0", id: 1, result: { protocolVersion: "2025-11-25" } });
    const unknown = await post('{"jsonrpc":"2.0","id":7,"method":"no/such"}', {
      "mcp-session-id": session,
      accept: "application/json",
    });
    expect(await unknown.json()).toEqual({ jsonrpc: "2.0", id: 7, error: { code: -32601, message: "Method not found" } });
    const batch = await post('[{"jsonrpc":"2.0","id":8,"method":"ping"},{"jsonrpc":"2.0","id":9,"method":"ping"}]', {
      "mcp-session-id": session,
    });
    expect(batch.status).toBe(400);
    const badVersion = await post('{"jsonrpc":"2.0","id":10,"method":"ping"}', {
      "mcp-session-id": session,
      "mcp-protocol-version": "1999-01-01",
    });
    expect(badVersion.status).toBe(400);
  });

  it("refuses a page from a foreign origin (DNS rebinding)", async () => {
    const response = await post(INITIALIZE, { origin: "http://evil.example" });
    expect(response.status).toBe(403);
    // The attack sends a Host that matches the Origin: that must not be enough.
    const rebound = await post(INITIALIZE, { origin: "http://evil.example", host: "evil.example" });
    expect(rebound.status).toBe(403);
    const local = await post(INITIALIZE, { origin: fleet.gatewayUrl, accept: "application/json" });
    expect(local.status).toBe(200);
  });

  it("refuses a session opened with another key", async () => {
    const opened = await post(INITIALIZE, { accept: "application/json" });
    const session = opened.headers.get("mcp-session-id") as string;
    const admin = createConsoleClient(fleet.consoleUrl);
    await admin.call("POST", "/api/auth/login", { email: "admin@example.com", password: "Sup3r-secret-pass" }).then((r) => {
      admin.token = (r.body as { accessToken: string }).accessToken;
    });
    const other = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "other" })).body.plaintext;
    const stolen = await post('{"jsonrpc":"2.0","id":3,"method":"ping"}', {
      "mcp-session-id": session,
      authorization: `Bearer ${other}`,
    });
    expect(stolen.status).toBe(404);
  });
});
