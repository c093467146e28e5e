/**
 * The MCP server admin API beyond the happy path of registering: the header rules shared with providers (no Host,
 * framing or hop-by-hop headers, no CR/LF/NUL) on create, update and test.
 */
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  freePort,
  type TestEnvironment,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApiService } from "../src/service.js";

let testEnv: TestEnvironment;
let fleet: Fleet;
let api: ConsoleClient;
const requestId = expect.any(String);

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  const port = await freePort();
  fleet = await startFleet({ services: [adminApiService], env: { ...testEnv.env, CONSOLE_PORT: String(port) } });
  api = createConsoleClient(`http://127.0.0.1:${port}`);
  await api.initialize();
});

afterAll(async () => {
  await fleet?.stop("test done");
  await testEnv?.cleanup();
});

interface ServerView {
  id: string;
  url: string | null;
  secretNames: string[];
  oauth: { clientId: string | null; hasClientSecret: boolean; scopes: string } | null;
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
