/**
 * Per-user upstream identity: an upstream MCP server protected by a real authorization server (oidc-provider) is
 * registered with per-user OAuth. Two console users link their accounts through the authorization code + PKCE
 * flow (admin-api's link route and public callback, driven headlessly), then call the upstream through the gateway
 * with their own `tw-` keys: the upstream sees each user's own subject, the short-lived access tokens are refreshed
 * by mcp-proxy, a user who has not linked (or unlinked) gets a tool error naming the console page, and no token
 * appears in the gateway's output, audit events or answers.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type NatsConnection, connect as natsConnect } from "@nats-io/transport-node";
import { hash } from "@node-rs/argon2";
import { createDb, tables } from "@thinkwatch/db";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  type FleetProcess,
  type OAuthProtectedMcp,
  startFleetProcess,
  startOAuthProtectedMcp,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SERVER_NAME = "Secure Notes";
const BOB = { email: "bob@example.com", password: "Bob-passw0rd-long" };

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let upstream: OAuthProtectedMcp;
let admin: ConsoleClient;
let bob: ConsoleClient;
let serviceServerId = "";
let serverId: string;
const keys: Record<"admin" | "bob", string> = { admin: "", bob: "" };
let nats: NatsConnection;
const auditEvents: string[] = [];

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  fleet = await startFleetProcess({ env: testEnv.env, services: ["key-service", "admin-api", "mcp-proxy"] });
  // 10 s access tokens: inside mcp-proxy's 30 s refresh margin, so every upstream request refreshes first.
  upstream = await startOAuthProtectedMcp({
    redirectUris: [`${fleet.consoleUrl}/api/mcp/oauth/callback`],
    accessTokenTtlSeconds: 10,
  });
  admin = createConsoleClient(fleet.consoleUrl);
  await admin.initialize();
  // No users API exists yet: the second user goes straight into admin-api's table, as an admin would create one.
  const database = createDb({ url: testEnv.env.DATABASE_URL ?? "" });
  try {
    await database.db
      .insert(tables.users)
      .values({ email: BOB.email, displayName: "Bob", passwordHash: await hash(BOB.password), role: "developer" });
  } finally {
    await database.close();
  }
  bob = createConsoleClient(fleet.consoleUrl);
  const login = await bob.call<{ accessToken: string }>("POST", "/api/auth/login", BOB);
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  bob.token = login.body.accessToken;

  const created = await admin.call<{ server: { id: string } }>("POST", "/api/mcp/servers", {
    name: SERVER_NAME,
    prefix: "notes",
    transport: "streamable_http",
    url: upstream.url,
    authMode: "per_user_oauth",
    oauth: { clientId: upstream.clientId, clientSecret: upstream.clientSecret, scopes: "tools" },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  serverId = created.body.server.id;
  const service = await admin.call("POST", "/api/mcp/servers", {
    name: "Service Notes",
    prefix: "svc",
    transport: "streamable_http",
    url: upstream.url,
    authMode: "client_credentials",
    oauth: { clientId: upstream.serviceClientId, clientSecret: upstream.serviceClientSecret, scopes: "tools" },
  });
  expect(service.status, JSON.stringify(service.body)).toBe(201);
  serviceServerId = (service.body as { server: { id: string } }).server.id;
  for (const [who, client] of [
    ["admin", admin],
    ["bob", bob],
  ] as const) {
    const key = await client.call<{ plaintext: string }>("POST", "/api/keys", { name: `${who}-agent` });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    keys[who] = key.body.plaintext;
  }
  nats = await natsConnect({ servers: testEnv.env.NATS_URL as string });
  nats.subscribe(`${testEnv.id}.audit.v1.evt.>`, { callback: (_err, msg) => void auditEvents.push(msg.string()) });
}, 120_000);

afterAll(async () => {
  await nats?.close();
  await fleet?.stop();
  await upstream?.close();
  await testEnv?.cleanup();
});

/** The tools of the per-user server alone (`/mcp/notes`, original names). */
async function toolNames(key: string): Promise<Array<{ name: string; description?: string | undefined }>> {
  const client = new Client({ name: "user-oauth-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${fleet.gatewayUrl}/mcp/notes`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  try {
    return (await client.listTools()).tools.map((t) => ({ name: t.name, description: t.description }));
  } finally {
    await client.close();
  }
}

async function whoami(key: string, tool = "notes__whoami"): Promise<{ isError: boolean; text: string }> {
  const client = new Client({ name: "user-oauth-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${fleet.gatewayUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  try {
    const result = await client.callTool({ name: tool, arguments: {} });
    const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
    return { isError: result.isError === true, text: content.map((c) => c.text ?? "").join("\n") };
  } finally {
    await client.close();
  }
}

const LINK_ERROR =
  `You have not linked your account for the MCP server "${SERVER_NAME}". Open the ThinkWatch console at ` +
  `/mcp/servers, choose "Link my account" on "${SERVER_NAME}", then call the tool again.`;

/** The console's "Link my account", then the browser's trip through the authorization server back to the callback. */
async function link(client: ConsoleClient, subject: string): Promise<void> {
  const start = await client.call<{ authorizationUrl: string }>("POST", `/api/mcp/servers/${serverId}/link`);
  expect(start.status, JSON.stringify(start.body)).toBe(200);
  const authorizationUrl = new URL(start.body.authorizationUrl);
  expect(authorizationUrl.origin).toBe(upstream.issuer);
  expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorizationUrl.searchParams.get("resource")).toBe(upstream.url);
  upstream.loginAs(subject);
  const binding = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  expect(binding).toMatch(/^tw_mcp_link=/);
  const callback = await upstream.authorize(start.body.authorizationUrl, `${fleet.consoleUrl}/api/mcp/oauth/callback`);
  // Another browser (without the cookie of the one that started the link) cannot finish it.
  const elsewhere = await fetch(callback, { redirect: "manual" });
  expect(elsewhere.status).toBe(400);
  expect(((await elsewhere.json()) as { error: Record<string, unknown> }).error).toMatchObject({
    code: "bad_request",
    message: "this link was started in another browser (start linking again from the console)",
  });
  const done = await fetch(callback, { redirect: "manual", headers: { cookie: binding } });
  expect(done.status, await done.clone().text()).toBe(302);
  expect(done.headers.get("location")).toBe(`/mcp/servers?linked=${serverId}`);
  // The state is single-use: replaying the callback is refused.
  const replay = await fetch(callback, { redirect: "manual", headers: { cookie: binding } });
  expect(replay.status).toBe(400);
  expect(((await replay.json()) as { error: { code: string; message: string } }).error).toMatchObject({
    code: "bad_request",
    message: "the OAuth state was already used (start linking again)",
  });
}

interface Catalog {
  tools: Array<{ exposedName: string }>;
  errors: Array<{ server: string; error: string }>;
}

interface TestAnswer {
  ok: boolean;
  error: string | null;
  tools: Array<{ name: string }>;
}

describe("per-user OAuth to an upstream MCP server", () => {
  it("tests a per-user server with the admin's own account (and says to link first) and a service server with its token", async () => {
    const unlinked = await admin.call<TestAnswer>("POST", `/api/mcp/servers/${serverId}/test`);
    expect(unlinked.status).toBe(200);
    expect(unlinked.body).toMatchObject({
      ok: false,
      error: `"${SERVER_NAME}" uses per-user OAuth and is tested with your own account: choose "Link my account" on it first`,
    });
    const service = await admin.call<TestAnswer>("POST", `/api/mcp/servers/${serviceServerId}/test`);
    expect(service.body.error).toBeNull();
    expect(service.body.ok).toBe(true);
    expect(service.body.tools.map((t) => t.name)).toContain("whoami");
    // The tool catalog lists each server the same way: the service server with its token, the per-user one not
    // until the admin has linked their account (said in the catalog's errors).
    const catalog = await admin.call<Catalog>("GET", "/api/mcp/tools");
    expect(catalog.status).toBe(200);
    expect(catalog.body.tools.map((t) => t.exposedName)).toContain("svc__whoami");
    expect(catalog.body.tools.map((t) => t.exposedName)).not.toContain("notes__whoami");
    expect(catalog.body.errors).toContainEqual({
      server: SERVER_NAME,
      error: `"${SERVER_NAME}" uses per-user OAuth and is listed with your own account: choose "Link my account" on it first`,
    });
  });

  it("gives a user who has not linked a tool error naming where to link, and reports them unlinked", async () => {
    const status = await bob.call("GET", `/api/mcp/servers/${serverId}/link`);
    expect(status.status).toBe(200);
    expect(status.body).toEqual({ linked: false, linkedAt: null, scope: null });
    expect(await whoami(keys.bob)).toEqual({ isError: true, text: LINK_ERROR });
    // The unlinked server stays discoverable: one tool stands for it, and calling it gives the same instructions.
    const listed = await toolNames(keys.bob);
    expect(listed.map((t) => t.name)).toEqual(["link_account"]);
    expect(listed[0]?.description).toContain(`choose "Link my account" on "${SERVER_NAME}"`);
    expect(await whoami(keys.bob, "notes__link_account")).toEqual({ isError: true, text: LINK_ERROR });
    // Nothing reached the upstream as a user (the service account's calls come from the test button above).
    expect(upstream.calls.filter((call) => call.sub !== upstream.serviceClientId)).toHaveLength(0);
  });

  it("links two users; each call reaches the upstream as that user, with refreshed tokens", async () => {
    await link(admin, "alice");
    await link(bob, "bob");
    const status = await bob.call<{ linked: boolean; scope: string }>("GET", `/api/mcp/servers/${serverId}/link`);
    expect(status.body.linked).toBe(true);

    expect(await whoami(keys.admin)).toEqual({ isError: false, text: "sub=alice" });
    expect(await whoami(keys.bob)).toEqual({ isError: false, text: "sub=bob" });
    expect(await whoami(keys.admin)).toEqual({ isError: false, text: "sub=alice" });
    const tested = await admin.call<TestAnswer>("POST", `/api/mcp/servers/${serverId}/test`);
    expect(tested.body).toMatchObject({ ok: true, error: null });
    expect(tested.body.tools.map((t) => t.name)).toContain("whoami");
    // Linked, the admin's catalog lists the per-user server's tools too.
    const catalog = await admin.call<Catalog>("GET", "/api/mcp/tools");
    expect(catalog.body.errors).toEqual([]);
    expect(catalog.body.tools.map((t) => t.exposedName)).toEqual(expect.arrayContaining(["notes__whoami", "svc__whoami"]));
    const linkedTools = (await toolNames(keys.bob)).map((t) => t.name);
    expect(linkedTools).toContain("whoami");
    expect(linkedTools).not.toContain("link_account");
    expect(new Set(upstream.calls.filter((c) => c.sub !== upstream.serviceClientId).map((c) => c.sub))).toEqual(
      new Set(["alice", "bob"]),
    );
    // Tokens were refreshed (the 10 s tokens are inside the refresh margin) and the refreshed ones were accepted.
    expect(upstream.refreshes()).toBeGreaterThan(0);
    const aliceTokens = new Set(upstream.calls.filter((c) => c.sub === "alice").map((c) => c.jti));
    expect(aliceTokens.size).toBeGreaterThan(1);
    // The callers' own gateway keys never went upstream.
    for (const header of upstream.authorizations) expect(header).not.toContain("tw-");
  });

  it("calls a client-credentials server as its service account, for every user, with one cached token", async () => {
    const grantsBefore = upstream.clientCredentialsGrants();
    expect(await whoami(keys.admin, "svc__whoami")).toEqual({ isError: false, text: `sub=${upstream.serviceClientId}` });
    expect(await whoami(keys.bob, "svc__whoami")).toEqual({ isError: false, text: `sub=${upstream.serviceClientId}` });
    expect(upstream.clientCredentialsGrants() - grantsBefore).toBe(1);
  });

  it("unlinking takes effect on the next call", async () => {
    const removed = await bob.call("DELETE", `/api/mcp/servers/${serverId}/link`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ linked: false });
    await waitFor(async () => (await whoami(keys.bob)).isError, { timeoutMs: 10_000 });
    expect(await whoami(keys.bob)).toEqual({ isError: true, text: LINK_ERROR });
    const again = await bob.call("DELETE", `/api/mcp/servers/${serverId}/link`);
    expect(again.status).toBe(404);
  });

  it("refuses a forged or missing callback state with a 400 in the console's error shape", async () => {
    const forged = await fetch(`${fleet.consoleUrl}/api/mcp/oauth/callback?code=abc&state=not-a-state`);
    expect(forged.status).toBe(400);
    const body = (await forged.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      code: "bad_request",
      message: "the OAuth state is not valid (start linking again from the console)",
    });
    const missing = await fetch(`${fleet.consoleUrl}/api/mcp/oauth/callback?code=abc`);
    expect(missing.status).toBe(400);
  });

  it("never lets a token reach the gateway's output or an audit event", async () => {
    expect(upstream.issuedTokens.length).toBeGreaterThan(3);
    const output = fleet.output();
    const audit = auditEvents.join("\n");
    expect(auditEvents.some((e) => e.includes("notes__whoami") || e.includes("whoami"))).toBe(true);
    for (const token of upstream.issuedTokens) {
      expect(output.includes(token)).toBe(false);
      expect(audit.includes(token)).toBe(false);
    }
    expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    expect(audit).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
  });
});
