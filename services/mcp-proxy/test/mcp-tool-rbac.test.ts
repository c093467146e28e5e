/**
 * Tool RBAC through the gateway: admins grant tool patterns to a role, a team and a user in admin-api; mcp-proxy
 * (through the config KV bucket) lets each user see and call only their granted tools, intersected with their key's
 * own patterns; a denied call is refused and audited; a grant change reaches open sessions as list_changed.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { type NatsConnection, connect as natsConnect } from "@nats-io/transport-node";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  eventsOf,
  everythingStdio,
  type FleetProcess,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let admin: ConsoleClient;
let adminId: string;
let nats: NatsConnection;
const auditEvents: Array<Record<string, unknown>> = [];
const keys: Record<string, string> = {};
const userIds: Record<string, string> = {};
let teamId: string;

async function userWithKey(name: string, allowedMcpTools?: string[]) {
  const email = `${name}@example.com`;
  const password = `${name}-Passw0rd-long`;
  const created = await admin.call<{ user: { id: string } }>("POST", "/api/admin/users", { email, role: "developer", password });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  userIds[name] = created.body.user.id;
  const client = createConsoleClient(fleet.consoleUrl);
  const login = await client.call<{ accessToken: string }>("POST", "/api/auth/login", { email, password });
  client.token = login.body.accessToken;
  const key = await client.call<{ plaintext: string }>("POST", "/api/keys", {
    name: `${name}-agent`,
    ...(allowedMcpTools === undefined ? {} : { allowedMcpTools }),
  });
  expect(key.status, JSON.stringify(key.body)).toBe(201);
  keys[name] = key.body.plaintext;
}

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  fleet = await startFleetProcess({ env: testEnv.env, services: ["key-service", "admin-api", "mcp-proxy"] });
  admin = createConsoleClient(fleet.consoleUrl);
  adminId = (await admin.initialize()).userId;
  const server = await admin.call("POST", "/api/mcp/servers", { name: "everything", transport: "stdio", ...everythingStdio() });
  expect(server.status, JSON.stringify(server.body)).toBe(201);
  keys.admin = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "admin-agent" })).body.plaintext;
  await userWithKey("carol");
  await userWithKey("dave");
  const team = await admin.call<{ team: { id: string } }>("POST", "/api/admin/teams", { name: "platform" });
  expect(team.status, JSON.stringify(team.body)).toBe(201);
  teamId = team.body.team.id;
  const member = await admin.call("POST", `/api/admin/teams/${teamId}/members`, { userId: userIds.dave });
  expect(member.status, JSON.stringify(member.body)).toBeLessThan(300);
  // Dave's second key narrows further: key patterns ∩ grants.
  const daveLogin = createConsoleClient(fleet.consoleUrl);
  daveLogin.token = (
    await daveLogin.call<{ accessToken: string }>("POST", "/api/auth/login", {
      email: "dave@example.com",
      password: "dave-Passw0rd-long",
    })
  ).body.accessToken;
  keys.daveNarrow = (
    await daveLogin.call<{ plaintext: string }>("POST", "/api/keys", { name: "narrow", allowedMcpTools: ["everything__echo"] })
  ).body.plaintext;
  nats = await natsConnect({ servers: testEnv.env.NATS_URL as string });
  nats.subscribe(`${testEnv.id}.audit.v1.evt.mcp_tool_call.completed`, {
    callback: (_err, msg) => void auditEvents.push(...eventsOf(msg)),
  });
}, 120_000);

afterAll(async () => {
  await nats?.close();
  await fleet?.stop();
  await testEnv?.cleanup();
});

async function connect(key: string) {
  const client = new Client({ name: "rbac-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${fleet.gatewayUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

async function toolsOf(key: string): Promise<string[]> {
  const client = await connect(key);
  try {
    return (await client.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith("everything__"));
  } finally {
    await client.close();
  }
}

const grant = (subjectKind: string, subjectId: string, pattern: string) =>
  admin.call<{ grant: { id: string; subjectName: string | null } }>("POST", "/api/mcp/tool-grants", {
    subjectKind,
    subjectId,
    pattern,
  });

describe("tool RBAC by role, team and user", () => {
  it("lets every key use every tool while no grant exists", async () => {
    expect((await toolsOf(keys.carol as string)).length).toBeGreaterThan(5);
  });

  it("limits each user to the tools granted to their role, teams and themselves, within their key's patterns", async () => {
    const open = await connect(keys.carol as string);
    let changed = 0;
    open.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changed += 1;
    });
    await open.listTools();

    const role = await grant("role", "developer", "everything__echo");
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    expect(role.body.grant.subjectName).toBe("developer");
    expect((await grant("team", teamId, "everything__get-sum")).status).toBe(201);
    expect((await grant("user", adminId, "everything__*")).status).toBe(201);

    await waitFor(async () => (await toolsOf(keys.carol as string)).length === 1, { timeoutMs: 15_000 });
    expect(await toolsOf(keys.carol as string)).toEqual(["everything__echo"]);
    expect(await toolsOf(keys.dave as string)).toEqual(["everything__echo", "everything__get-sum"]);
    expect(await toolsOf(keys.daveNarrow as string)).toEqual(["everything__echo"]);
    expect((await toolsOf(keys.admin as string)).length).toBeGreaterThan(5);
    // The open session heard that its tool list changed.
    await waitFor(async () => changed > 0, { timeoutMs: 10_000 });
    await open.close();
  });

  it("refuses a call outside the grants and audits it as denied", async () => {
    const client = await connect(keys.carol as string);
    await expect(client.callTool({ name: "everything__get-sum", arguments: { a: 1, b: 2 } })).rejects.toThrow(
      /not available to this key/,
    );
    const echoed = await client.callTool({ name: "everything__echo", arguments: { message: "granted" } });
    expect(JSON.stringify(echoed)).toContain("granted");
    await client.close();
    await waitFor(async () => auditEvents.some((e) => e.status === "denied" && e.exposedToolName === "everything__get-sum"), {
      timeoutMs: 10_000,
    });
  });

  it("lists grants with their subjects, refuses bad input, and revoking a grant takes effect", async () => {
    const listed = await admin.call<{ grants: Array<{ id: string; subjectKind: string; pattern: string }> }>(
      "GET",
      "/api/mcp/tool-grants",
    );
    expect(listed.body.grants.map((g) => `${g.subjectKind}:${g.pattern}`).sort()).toEqual([
      "role:everything__echo",
      "team:everything__get-sum",
      "user:everything__*",
    ]);
    const bad = await admin.call("POST", "/api/mcp/tool-grants", { subjectKind: "planet", subjectId: "x", pattern: "a b" });
    expect(bad.status).toBe(400);
    const unknown = await grant("team", "00000000-0000-4000-8000-000000000000", "x__*");
    expect(unknown.status).toBe(400);
    const duplicate = await grant("role", "developer", "everything__echo");
    expect(duplicate.status).toBe(409);

    const roleGrant = listed.body.grants.find((g) => g.subjectKind === "role");
    const removed = await admin.call("DELETE", `/api/mcp/tool-grants/${roleGrant?.id}`);
    expect(removed.status).toBe(200);
    await waitFor(async () => (await toolsOf(keys.carol as string)).length === 0, { timeoutMs: 15_000 });
    // Dave keeps what his team was granted.
    await waitFor(async () => (await toolsOf(keys.dave as string)).join() === "everything__get-sum", { timeoutMs: 30_000 });
  });
});
