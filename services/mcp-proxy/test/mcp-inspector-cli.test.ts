/**
 * The official MCP Inspector's CLI mode (`@modelcontextprotocol/inspector-cli`, the `--cli` of the Inspector v1 line
 * that runs on Node 20; the v2 Inspector needs Node 22) lists and calls tools through the gateway over Streamable
 * HTTP, authenticated with a gateway key in a header.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import {
  createConsoleClient,
  createTestEnvironment,
  everythingStdio,
  type FleetProcess,
  startFleetProcess,
  type TestEnvironment,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const execute = promisify(execFile);
/**
 * The CLI finds its own package.json with `fs.existsSync("../package.json")` (relative to the working directory)
 * but imports it relative to its module: run it from its build directory, where both agree.
 */
const run = (file: string, args: string[], options: { timeout: number }) =>
  execute(file, args, { ...options, cwd: dirname(INSPECTOR_CLI) });
const require = createRequire(import.meta.url);
const INSPECTOR_CLI = join(dirname(require.resolve("@modelcontextprotocol/inspector-cli/package.json")), "build/cli.js");

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let key: string;

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  fleet = await startFleetProcess({ env: testEnv.env, services: ["key-service", "admin-api", "mcp-proxy"] });
  const admin = createConsoleClient(fleet.consoleUrl);
  await admin.initialize();
  const created = await admin.call("POST", "/api/mcp/servers", { name: "everything", transport: "stdio", ...everythingStdio() });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "inspector" })).body.plaintext;
}, 120_000);

afterAll(async () => {
  await fleet?.stop();
  await testEnv?.cleanup();
});

async function inspector(path: string, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    process.execPath,
    [
      INSPECTOR_CLI,
      "--cli",
      `${fleet.gatewayUrl}${path}`,
      "--transport",
      "http",
      "--header",
      `Authorization: Bearer ${key}`,
      ...args,
    ],
    { timeout: 60_000 },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("MCP Inspector CLI through the gateway", () => {
  it("lists the aggregated tools", async () => {
    const listed = await inspector("/mcp", "--method", "tools/list");
    const names = (listed.tools as Array<{ name: string }>).map((t) => t.name);
    expect(names).toContain("everything__echo");
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it("calls a tool with arguments, on the aggregated and the single-server endpoint", async () => {
    const aggregated = await inspector(
      "/mcp",
      "--method",
      "tools/call",
      "--tool-name",
      "everything__echo",
      "--tool-arg",
      "message=from the inspector",
    );
    expect(JSON.stringify(aggregated.content)).toContain("from the inspector");
    const single = await inspector(
      "/mcp/everything",
      "--method",
      "tools/call",
      "--tool-name",
      "echo",
      "--tool-arg",
      "message=single",
    );
    expect(JSON.stringify(single.content)).toContain("single");
  });

  it("fails cleanly without a key", async () => {
    const refused = await run(
      process.execPath,
      [INSPECTOR_CLI, "--cli", `${fleet.gatewayUrl}/mcp`, "--transport", "http", "--method", "tools/list"],
      {
        timeout: 60_000,
      },
    ).then(
      () => null,
      (caught: { code?: number; stderr?: string }) => caught,
    );
    expect(refused?.code).not.toBe(0);
    expect(refused?.stderr ?? "").toMatch(/401|Unauthorized|authenticat/i);
  });
});
