/**
 * The MCP server admin API beyond the happy path of registering: the header rules shared with providers (no Host,
 * framing or hop-by-hop headers, no CR/LF/NUL) on create, update and test, and PATCH — URL, headers and the OAuth
 * client secret change; secrets stay masked on read and are kept when a patch does not resend them; the egress
 * policy applies to an updated URL. Stored secrets are checked by decrypting the row, as mcp-proxy would.
 */
import { createKeyring } from "@thinkwatch/crypto";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  freePort,
  TEST_SECRETS,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApiService } from "../src/service.js";

let testEnv: TestEnvironment;
let fleet: Fleet;
let api: ConsoleClient;
let sql: postgres.Sql;
const keyring = createKeyring(TEST_SECRETS.ENCRYPTION_KEY);
const requestId = expect.any(String);

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  const port = await freePort();
  fleet = await startFleet({ services: [adminApiService], env: { ...testEnv.env, CONSOLE_PORT: String(port) } });
  api = createConsoleClient(`http://127.0.0.1:${port}`);
  await api.initialize();
  sql = postgres(testEnv.env.DATABASE_URL as string, { max: 1, onnotice: () => undefined });
});

afterAll(async () => {
  await sql?.end();
  await fleet?.stop("test done");
  await testEnv?.cleanup();
});

interface ServerView {
  id: string;
  url: string | null;
  secretNames: string[];
  oauth: { clientId: string | null; hasClientSecret: boolean; scopes: string } | null;
}

/** What is stored for a server, decrypted: its secret headers and its OAuth client secret. */
async function stored(id: string): Promise<{ url: string; headers: unknown; clientSecret: string | null }> {
  const [row] = await sql`select url, secrets_encrypted, oauth_client_secret_encrypted from mcp_servers where id = ${id}`;
  return {
    url: row?.url as string,
    headers: row?.secrets_encrypted === null ? null : JSON.parse(keyring.decrypt(row?.secrets_encrypted as string)),
    clientSecret:
      row?.oauth_client_secret_encrypted === null ? null : keyring.decrypt(row?.oauth_client_secret_encrypted as string),
  };
}

let counter = 0;
async function register(extra: Record<string, unknown> = {}): Promise<ServerView> {
  counter += 1;
  const created = await api.call<{ server: ServerView }>("POST", "/api/mcp/servers", {
    name: `Server ${counter}`,
    transport: "streamable_http",
    url: "https://mcp.example.com/mcp",
    ...extra,
  });
  expect(created.status).toBe(201);
  return created.body.server;
}

describe("MCP server header rules (the providers' rules)", () => {
  const refused = (header: string, problem: string) => ({
    error: {
      code: "validation_failed",
      message: `invalid request: headers: headers.${header}: ${problem}`,
      requestId,
      details: { fields: { headers: `headers.${header}: ${problem}` } },
    },
  });
  const cases: [string, Record<string, string>, string, string][] = [
    ["Host", { Host: "internal.example" }, "Host", "the host header is set by the gateway and cannot be overridden"],
    [
      "Transfer-Encoding",
      { "Transfer-Encoding": "chunked" },
      "Transfer-Encoding",
      "the transfer-encoding header is set by the gateway and cannot be overridden",
    ],
    ["Connection", { Connection: "close" }, "Connection", "the connection header is set by the gateway and cannot be overridden"],
    ["a CRLF in a value", { "X-Team": "a\r\nHost: evil" }, "X-Team", "a header value must not contain CR, LF or NUL"],
    ["an invalid name", { "Bad Name": "x" }, "Bad Name", "a header name is letters, digits and !#$%&'*+-.^_`|~"],
  ];

  it.each(cases)("refuses %s on create, update and test with 400", async (_name, headers, header, problem) => {
    const created = await api.call("POST", "/api/mcp/servers", {
      name: "Refused",
      transport: "streamable_http",
      url: "https://mcp.example.com/mcp",
      headers,
    });
    expect({ status: created.status, body: created.body }).toEqual({ status: 400, body: refused(header, problem) });

    const server = await register();
    const patched = await api.call("PATCH", `/api/mcp/servers/${server.id}`, { headers });
    expect({ status: patched.status, body: patched.body }).toEqual({ status: 400, body: refused(header, problem) });

    const tested = await api.call("POST", "/api/mcp/servers/test", {
      name: "Refused",
      transport: "streamable_http",
      url: "https://mcp.example.com/mcp",
      headers,
    });
    expect({ status: tested.status, body: tested.body }).toEqual({ status: 400, body: refused(header, problem) });
  });

  it("accepts secret-looking headers (every MCP header is stored encrypted)", async () => {
    const server = await register({ headers: { Authorization: "Bearer upstream", "X-Api-Key": "k" } });
    expect(server.secretNames.sort()).toEqual(["Authorization", "X-Api-Key"]);
  });
});

describe("PATCH /api/mcp/servers/:id", () => {
  const OAUTH = { clientId: "gateway", clientSecret: "client-secret-1", scopes: "tools" };
  let server: ServerView;

  beforeAll(async () => {
    server = await register({
      headers: { Authorization: "Bearer first", "X-Team": "blue" },
      authMode: "client_credentials",
      oauth: OAUTH,
    });
  });

  async function patch(body: unknown) {
    const response = await api.call<{ server: ServerView }>("PATCH", `/api/mcp/servers/${server.id}`, body);
    expect(JSON.stringify(response.body)).not.toMatch(/Bearer |client-secret-/);
    return response;
  }

  it("changes the URL and keeps the secrets it was not sent, masked on read", async () => {
    const response = await patch({ url: "https://mcp2.example.com/mcp" });
    expect(response.status).toBe(200);
    expect(response.body.server).toMatchObject({
      url: "https://mcp2.example.com/mcp",
      secretNames: ["Authorization", "X-Team"],
      oauth: { clientId: "gateway", hasClientSecret: true, scopes: "tools" },
    });
    const read = await api.call<{ server: ServerView }>("GET", `/api/mcp/servers/${server.id}`);
    expect(read.body.server).toEqual(response.body.server);
    expect(JSON.stringify(read.body)).not.toMatch(/Bearer |client-secret-/);
    expect(await stored(server.id)).toEqual({
      url: "https://mcp2.example.com/mcp",
      headers: { Authorization: "Bearer first", "X-Team": "blue" },
      clientSecret: "client-secret-1",
    });
  });

  it("replaces the secret headers when sent, and shows only their names", async () => {
    const response = await patch({ headers: { Authorization: "Bearer second" } });
    expect(response.status).toBe(200);
    expect(response.body.server.secretNames).toEqual(["Authorization"]);
    expect(await stored(server.id)).toMatchObject({ headers: { Authorization: "Bearer second" } });
  });

  it("keeps the OAuth client secret when the same client's scopes change without it, replaces it when sent", async () => {
    const scopes = await patch({ oauth: { clientId: "gateway", scopes: "tools admin" } });
    expect(scopes.status).toBe(200);
    expect(scopes.body.server.oauth).toEqual({ clientId: "gateway", hasClientSecret: true, scopes: "tools admin" });
    expect((await stored(server.id)).clientSecret).toBe("client-secret-1");

    const rotated = await patch({ oauth: { clientId: "gateway", clientSecret: "client-secret-2", scopes: "tools" } });
    expect(rotated.body.server.oauth).toEqual({ clientId: "gateway", hasClientSecret: true, scopes: "tools" });
    expect((await stored(server.id)).clientSecret).toBe("client-secret-2");
  });

  it("refuses a link-local URL with 400 and leaves the server as it was", async () => {
    const response = await patch({ url: "http://169.254.169.254/latest/meta-data" });
    expect({ status: response.status, body: response.body }).toEqual({
      status: 400,
      body: {
        error: {
          code: "validation_failed",
          message: "invalid MCP server: url 169.254.169.254 is link-local (cloud metadata), which upstreams may never use",
          requestId,
          details: { fields: { url: "url 169.254.169.254 is link-local (cloud metadata), which upstreams may never use" } },
        },
      },
    });
    expect((await stored(server.id)).url).toBe("https://mcp2.example.com/mcp");
  });

  it("applies the current private-upstreams setting to an updated URL", async () => {
    expect((await patch({ url: "http://127.0.0.1:8931/mcp" })).status).toBe(200);
    expect((await api.call("PATCH", "/api/admin/settings/security", { allowPrivateUpstreams: false })).status).toBe(200);
    try {
      const refused = await waitFor(async () => {
        const response = await patch({ url: "http://10.1.2.3/mcp" });
        return response.status === 400 ? response : null;
      });
      expect(refused.body).toMatchObject({
        error: {
          code: "validation_failed",
          details: {
            fields: {
              url: "url 10.1.2.3 is a private range and private upstreams are not allowed (security.allowPrivateUpstreams)",
            },
          },
        },
      });
    } finally {
      await api.call("PATCH", "/api/admin/settings/security", { allowPrivateUpstreams: true });
    }
  });
});
