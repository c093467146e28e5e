/**
 * The official MCP conformance suite (server scenarios, protocol 2025-06-18 and 2025-11-25) run against the gateway's
 * `/mcp/{server}` endpoint, whose upstream is a fixture server written with the MCP SDK that implements what each
 * scenario calls. What the suite measures is therefore the gateway: its session handling, streaming, relaying of
 * progress, logging, sampling and elicitation, and its DNS-rebinding protection.
 */
import {
  type ConformanceFixture,
  createConsoleClient,
  createTestEnvironment,
  type FleetProcess,
  runConformanceServerSuite,
  startConformanceFixture,
  startFleetProcess,
  type TestEnvironment,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let fixture: ConformanceFixture;
let key: string;

beforeAll(async () => {
  [testEnv, fixture] = await Promise.all([createTestEnvironment(), startConformanceFixture()]);
  fleet = await startFleetProcess({ env: testEnv.env, services: ["key-service", "admin-api", "mcp-proxy"] });
  const admin = createConsoleClient(fleet.consoleUrl);
  await admin.initialize();
  const created = await admin.call("POST", "/api/mcp/servers", {
    name: "conformance",
    transport: "streamable_http",
    url: fixture.url,
  });
  expect(created.status).toBe(201);
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "conformance" })).body.plaintext;
}, 120_000);

afterAll(async () => {
  await fleet?.stop();
  await fixture?.close();
  await testEnv?.cleanup();
});

/**
 * Scenarios the gateway does not pass yet, each with its reason (the suite fails if one of them starts passing, so
 * this list stays true).
 */
const EXPECTED_FAILURES: string[] = [];

describe("MCP conformance through the gateway", () => {
  it("passes every server scenario of the suite against /mcp/{server}", async () => {
    const result = await runConformanceServerSuite({
      url: `${fleet.mcpUrl}/mcp/conformance?key=${key}`,
      suite: "all",
      expectedFailures: EXPECTED_FAILURES,
    });
    if (result.exitCode !== 0 || process.env.DEBUG_CONFORMANCE) console.log(result.output.slice(-12000));
    const failing = [...result.scenarios].filter(([, outcome]) => outcome.failed > 0).map(([name]) => name);
    expect(failing.sort()).toEqual([...EXPECTED_FAILURES].sort());
    expect(result.exitCode).toBe(0);
    // Every scenario the suite lists for servers ran (32 in @modelcontextprotocol/conformance 0.1.16).
    expect(result.scenarios.size).toBeGreaterThanOrEqual(32);
    expect(result.output).toMatch(/^Total: \d+ passed, \d+ failed$/m);
  }, 600_000);
});
