/**
 * /mcp takes the same intake limits as the AI gateway (gateway settings `perKeyConcurrency` and
 * `inFlightBodyBudgetBytes`): a body that would take the process past its in-flight budget is refused with 503
 * before it is buffered, a key past its concurrent POSTs gets 429, both as JSON-RPC errors with Retry-After, and
 * both settings apply without a restart.
 */
import { request } from "node:http";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  type FleetProcess,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MB = 1024 * 1024;

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let admin: ConsoleClient;
let key: string;

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  fleet = await startFleetProcess({ env: testEnv.env, services: ["key-service", "admin-api", "mcp-proxy"] });
  admin = createConsoleClient(fleet.consoleUrl);
  await admin.initialize();
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "mcp" })).body.plaintext;
});

afterAll(async () => {
  await fleet?.stop();
  await testEnv?.cleanup();
});

const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

/** An initialize request padded to about `bytes` (the padding rides in clientInfo, which the server ignores). */
function initialize(bytes: number): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "intake", version: "1", padding: "x".repeat(bytes) },
    },
  });
}

async function post(body: string) {
  const response = await fetch(`${fleet.gatewayUrl}/mcp`, {
    method: "POST",
    headers: { ...HEADERS, authorization: `Bearer ${key}` },
    body,
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), text: await response.text() };
}

/** A POST of `body` whose first 100 bytes are sent and the rest held back until `request.end(body.slice(100))`. */
function holdPost(body: string) {
  const held = request(`${fleet.gatewayUrl}/mcp`, {
    method: "POST",
    headers: { ...HEADERS, authorization: `Bearer ${key}`, "content-length": String(Buffer.byteLength(body)) },
  });
  let answered = false;
  const status = new Promise<number>((resolve, reject) => {
    held.on("response", (response) => {
      answered = true;
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    held.on("error", reject);
  });
  // A replaced POST is destroyed; its rejection is expected and not awaited.
  status.catch(() => undefined);
  held.write(body.slice(0, 100));
  return { request: held, status, answered: () => answered };
}

async function patchGatewaySettings(values: Record<string, number>) {
  const saved = await admin.call("PATCH", "/api/admin/settings/gateway", values);
  expect(saved.status).toBe(200);
}

describe("/mcp intake limits", () => {
  it("refuses a body over the in-flight budget with 503 and Retry-After, and still serves one that fits", async () => {
    // The smallest budget the settings allow; a body is charged four times its wire size, so 300 KB does not fit.
    await patchGatewaySettings({ inFlightBodyBudgetBytes: 1 * MB });
    const refused = await waitFor(
      async () => {
        const answer = await post(initialize(300_000));
        return answer.status === 503 ? answer : null;
      },
      { what: "mcp-proxy to apply the new budget" },
    );
    expect(refused.retryAfter).toBe("1");
    expect(JSON.parse(refused.text)).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32000, message: "the gateway is at its in-flight request memory budget; retry shortly" },
    });
    const small = await post(initialize(100));
    expect(small.status).toBe(200);
  });

  it("refuses a key's POST beyond its concurrency with 429 while another is in flight, and frees the slot after", async () => {
    await patchGatewaySettings({ perKeyConcurrency: 1, inFlightBodyBudgetBytes: 512 * MB });
    // A POST holds the key's only slot while its body is still arriving. Its connection is new, so a probe on the
    // pooled connection can reach the gateway first and take the slot itself: the held POST is then the one refused,
    // and a fresh one is opened before the next probe.
    const body = initialize(1000);
    let held = holdPost(body);
    const refused = await waitFor(
      async () => {
        if (held.answered()) {
          held.request.destroy();
          held = holdPost(body);
        }
        const answer = await post(initialize(100));
        return answer.status === 429 ? answer : null;
      },
      { what: "mcp-proxy to apply the concurrency limit" },
    );
    expect(refused.retryAfter).toBe("1");
    expect(JSON.parse(refused.text)).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32000, message: "too many concurrent requests for this API key (limit 1)" },
    });
    held.request.end(body.slice(100));
    expect(await held.status).toBe(200);
    expect((await post(initialize(100))).status).toBe(200);
    await patchGatewaySettings({ perKeyConcurrency: 64 });
  });
});
