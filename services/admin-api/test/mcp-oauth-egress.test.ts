/**
 * The OAuth requests made for MCP servers go through the egress policy like the MCP traffic itself: an upstream
 * whose protected-resource metadata names an authorization server on a link-local (cloud metadata) address, or
 * whose authorization server names such a token endpoint, is refused before anything is sent there; with private
 * upstreams turned off, metadata on loopback is not fetched at all. Tested through the console API: linking an
 * account (admin-api) and testing a client-credentials server (mcp-proxy).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import { mcpProxyService } from "@thinkwatch/mcp-proxy";
import { createConsoleClient, createTestEnvironment, freePort, type TestEnvironment, waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApiService } from "../src/service.js";

const LINK_LOCAL = "http://169.254.169.254";

let testEnv: TestEnvironment;
let fleet: Fleet;
let upstream: Server;
let upstreamUrl: string;
/** Paths the fake upstream (metadata and authorization server in one) was asked for. */
const asked: string[] = [];
const api = { client: createConsoleClient("http://127.0.0.1:1") };

/** One local server playing an MCP server's metadata and its authorization server, per path prefix. */
function serveMetadata(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    asked.push(path);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    // /far/mcp: its authorization server is on the link-local address.
    if (path.startsWith("/.well-known/oauth-protected-resource/far")) {
      return json({ resource: `${base}/far/mcp`, authorization_servers: [LINK_LOCAL] });
    }
    // /near/mcp: its authorization server is here, but names a token endpoint on the link-local address.
    if (path.startsWith("/.well-known/oauth-protected-resource/near")) {
      return json({ resource: `${base}/near/mcp`, authorization_servers: [`${base}/as`] });
    }
    if (path.startsWith("/.well-known/oauth-authorization-server/as") || path.startsWith("/as/.well-known/")) {
      return json({
        issuer: `${base}/as`,
        authorization_endpoint: `${base}/as/authorize`,
        token_endpoint: `${LINK_LOCAL}/token`,
        response_types_supported: ["code"],
        grant_types_supported: ["client_credentials"],
      });
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  const [consolePort, gatewayPort] = [await freePort(), await freePort()];
  fleet = await startFleet({
    services: [mcpProxyService, adminApiService],
    env: { ...testEnv.env, CONSOLE_PORT: String(consolePort), GATEWAY_PORT: String(gatewayPort) },
  });
  api.client = createConsoleClient(`http://127.0.0.1:${consolePort}`);
  await api.client.initialize();
  upstream = await serveMetadata();
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await fleet?.stop("test done");
  await new Promise((resolve) => upstream?.close(resolve));
  await testEnv?.cleanup();
});

async function register(name: string, path: string, authMode: string): Promise<string> {
  const created = await api.client.call<{ server: { id: string } }>("POST", "/api/mcp/servers", {
    name,
    transport: "streamable_http",
    url: `${upstreamUrl}${path}`,
    authMode,
    oauth: { clientId: "gateway", clientSecret: "client-secret", scopes: "tools" },
  });
  expect(created.status).toBe(201);
  return created.body.server.id;
}

describe("egress policy on MCP OAuth requests", () => {
  it("refuses to link an account at an authorization server on a link-local address", async () => {
    const id = await register("Far", "/far/mcp", "per_user_oauth");
    const started = await api.client.call("POST", `/api/mcp/servers/${id}/link`);
    expect(started.status).toBe(502);
    expect(started.body).toEqual({
      error: {
        code: "upstream_error",
        message: expect.stringMatching(
          /^cannot discover the authorization server of Far: egress refused: 169\.254\.169\.254 is link-local \(cloud metadata\)/,
        ),
        requestId: expect.any(String),
      },
    });
  });

  it("refuses a client-credentials token request to a token endpoint on a link-local address", async () => {
    const tested = await api.client.call<{ ok: boolean; error: string | null }>("POST", "/api/mcp/servers/test", {
      name: "Near",
      transport: "streamable_http",
      url: `${upstreamUrl}/near/mcp`,
      authMode: "client_credentials",
      oauth: { clientId: "gateway", clientSecret: "client-secret", scopes: "tools" },
    });
    expect(tested.status).toBe(200);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.error).toContain("egress refused: 169.254.169.254 is link-local (cloud metadata)");
    // The metadata was read (loopback is allowed here); the MCP endpoint itself was never called without a token.
    expect(asked).toContain("/.well-known/oauth-authorization-server/as");
    expect(asked).not.toContain("/near/mcp");
  });

  it("does not fetch metadata from loopback once private upstreams are turned off", async () => {
    const id = await register(`Nearby ${asked.length}`, "/near/mcp", "per_user_oauth");
    // While private upstreams are allowed, linking starts (the token endpoint is only called at the callback).
    const allowed = await api.client.call<{ authorizationUrl: string }>("POST", `/api/mcp/servers/${id}/link`);
    expect(allowed.status).toBe(200);
    expect(allowed.body.authorizationUrl).toMatch(new RegExp(`^${upstreamUrl}/as/authorize\\?`));
    const turnedOff = await api.client.call("PATCH", "/api/admin/settings/security", { allowPrivateUpstreams: false });
    expect(turnedOff.status).toBe(200);
    try {
      // The setting reaches admin-api's live settings through the config bucket.
      const refused = await waitFor(
        async () => {
          const started = await api.client.call<{ error: { message: string } }>("POST", `/api/mcp/servers/${id}/link`);
          return started.status === 502 && started.body.error.message.includes("is loopback") ? started : null;
        },
        { what: "the loopback refusal" },
      );
      expect(refused.body.error.message).toContain(
        "egress refused: 127.0.0.1 is loopback and private upstreams are not allowed (security.allowPrivateUpstreams)",
      );
      const sinceRefused = asked.length;
      await api.client.call("POST", `/api/mcp/servers/${id}/link`);
      expect(asked.length).toBe(sinceRefused);
    } finally {
      await api.client.call("PATCH", "/api/admin/settings/security", { allowPrivateUpstreams: true });
    }
  });
});
