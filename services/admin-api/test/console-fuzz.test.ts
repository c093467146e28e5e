/**
 * A fuzz pass over every console route in the route table (read from /api/openapi.json, which is generated from
 * it): malformed JSON, wrong types, NUL bytes, huge strings, unknown fields, absurd nesting, hostile path segments
 * and query strings, as the super admin and anonymously, against unknown ids and against one real entity per area
 * (so the inputs also reach the code behind each handler's lookup). Every answer must be a non-5xx, and every error
 * the standard console error body. Some routes end the admin's own session (logout, "revoke all sessions"), so an
 * authenticated case that meets a dead session signs in again and is sent again; a guard counts the 401s of
 * authenticated routes so the pass cannot silently stop reaching the handlers.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createClickHouse, migrateClickHouse } from "@thinkwatch/clickhouse";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  DEFAULT_ADMIN,
  type FleetProcess,
  startFleetProcess,
  type TestEnvironment,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let webhook: Server;
let api: ConsoleClient;
let consoleUrl: string;
type Operation = {
  method: string;
  path: string;
  access: string;
  bodySchema: { properties?: Record<string, { type?: unknown }> } | undefined;
};
let operations: Operation[];

beforeAll(async () => {
  // The log search reads ClickHouse: its schema is there, as audit-ingest makes it in a deployment.
  testEnv = await createTestEnvironment({ clickhouse: true });
  const clickhouse = createClickHouse({
    url: testEnv.env.CLICKHOUSE_URL as string,
    database: testEnv.env.CLICKHOUSE_DB as string,
  });
  try {
    await migrateClickHouse(clickhouse, fileURLToPath(new URL("../../../migrations/clickhouse", import.meta.url)));
  } finally {
    await clickhouse.close();
  }
  // Every service the console API calls over NATS (mcp-proxy for tool catalogs and server tests, forwarder for
  // channel tests), so each route reaches a real answer.
  webhook = createServer((_req, res) => res.writeHead(204).end());
  await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
  fleet = await startFleetProcess({
    env: testEnv.env,
    services: ["key-service", "quota", "mcp-proxy", "forwarder", "admin-api"],
  });
  consoleUrl = fleet.consoleUrl;
  api = createConsoleClient(consoleUrl);
  await api.initialize();
  const document = (
    await api.call<{ paths: Record<string, Record<string, Record<string, unknown>>> }>("GET", "/api/openapi.json")
  ).body;
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      access: String(operation["x-access"]),
      bodySchema: (operation.requestBody as { content: Record<string, { schema: Operation["bodySchema"] }> } | undefined)
        ?.content["application/json"]?.schema,
    })),
  );
  await createEntities();
});

/** The local listener that stands in for every upstream the entities name (no request leaves the machine). */
const local = () => `http://127.0.0.1:${(webhook.address() as AddressInfo).port}`;

/** Ids of one real entity per area, so fuzzed bodies also reach the code behind each handler's lookup. */
const real: Record<string, string> = {};

async function created<T>(path: string, body: unknown): Promise<T> {
  const response = await api.call<T>("POST", path, body);
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(`creating ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

async function createEntities(): Promise<void> {
  real.provider = (
    await created<{ provider: { id: string } }>("/api/admin/providers", {
      name: "fuzz-provider",
      kind: "openai_compatible",
      baseUrl: `${local()}/v1`,
      apiKey: "sk-fuzz",
      models: [{ model: "fuzz-model", upstreamModel: "gpt-4o-mini" }],
    })
  ).provider.id;
  const models = await api.call<{ models: Array<{ id: string; model: string }> }>("GET", "/api/admin/models");
  real.model = models.body.models.find((m) => m.model === "fuzz-model")?.id ?? "";
  real.mcpServer = (
    await created<{ server: { id: string } }>("/api/mcp/servers", {
      name: "Fuzz",
      transport: "streamable_http",
      url: `${local()}/mcp`,
    })
  ).server.id;
  real.user = (
    await created<{ user: { id: string } }>("/api/admin/users", {
      email: "fuzz-user@example.com",
      role: "developer",
      password: "Fuzz-user-pass-2024",
    })
  ).user.id;
  real.team = (await created<{ team: { id: string } }>("/api/admin/teams", { name: "Fuzz team" })).team.id;
  await created(`/api/admin/teams/${real.team}/members`, { userId: real.user });
  real.role = (
    await created<{ role: { id: string } }>("/api/admin/roles", { name: "fuzz-role", permissions: ["logs:read"] })
  ).role.id;
  real.assignment = (
    await created<{ assignment: { id: string } }>(`/api/admin/users/${real.user}/roles`, { roleId: real.role })
  ).assignment.id;
  real.key = (await created<{ key: { id: string } }>("/api/keys", { name: "fuzz-key" })).key.id;
  real.forwarder = (
    await created<{ forwarder: { id: string } }>("/api/admin/log-forwarders", {
      name: "fuzz-hook",
      kind: "webhook",
      settings: { url: `${local()}/in`, secret: "fuzz-secret-fuzz-secret" },
      eventKinds: ["admin"],
    })
  ).forwarder.id;
  real.grant = (
    await created<{ grant: { id: string } }>("/api/mcp/tool-grants", {
      subjectKind: "role",
      subjectId: "developer",
      pattern: "fuzz__*",
    })
  ).grant.id;
  for (const [name, id] of Object.entries(real)) if (id === "") throw new Error(`no real ${name}`);
}

/** Which real entity a path's `{id}` names, by the path's area. */
const ID_OWNERS: Array<[RegExp, string]> = [
  [/^\/api\/admin\/providers\//, "provider"],
  [/^\/api\/admin\/models\//, "model"],
  [/^\/api\/mcp\/servers\//, "mcpServer"],
  [/^\/api\/mcp\/tool-grants\//, "grant"],
  [/^\/api\/admin\/(users|limits)\//, "user"],
  [/^\/api\/admin\/teams\//, "team"],
  [/^\/api\/admin\/roles\//, "role"],
  [/^\/api\/keys\//, "key"],
  [/^\/api\/admin\/log-forwarders\//, "forwarder"],
];

/** The path with every parameter naming a real entity (a fixed unknown id where none fits). */
function realPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    if (name === "category") return "auth";
    if (name === "kind") return "user";
    if (name === "model") return "fuzz-model";
    if (name === "assignmentId") return real.assignment as string;
    if (name === "userId") return real.user as string;
    const owner = ID_OWNERS.find(([pattern]) => pattern.test(path))?.[1];
    return owner === undefined ? "00000000-0000-4000-8000-000000000000" : (real[owner] as string);
  });
}

/** Deletions last, so the routes after them still find their entities. */
const byDeletionLast = (a: Operation, b: Operation) => Number(a.method === "DELETE") - Number(b.method === "DELETE");

afterAll(async () => {
  await fleet?.stop();
  await new Promise((resolve) => webhook?.close(resolve));
  await testEnv?.cleanup();
});

const HUGE = "x".repeat(400_000);
const NUL = "a\u0000b";
const PATH_VALUES = [
  "00000000-0000-4000-8000-000000000000",
  "not-a-uuid",
  "%00",
  "..%2F..%2Fetc%2Fpasswd",
  "%F0%28%8C%BC",
  "1'%20or%20'1'%3D'1",
  "x".repeat(3000),
];
const QUERIES = ["", "?limit=abc&offset=-1", "?q=%00&kind[]=x&limit=99999999999999999999", `?name=${"y".repeat(5000)}`];
const RAW_BODIES = [
  "{",
  "not json",
  "null",
  "[]",
  '"a string"',
  "123",
  '{"a":',
  `${"[".repeat(5000)}${"]".repeat(5000)}`,
  '{"__proto__":{"polluted":true}}',
];

/** Objects aimed at the route's own fields when it declares them, plus generic ones. */
function objectBodies(operation: Operation): unknown[] {
  const fields = Object.entries(operation.bodySchema?.properties ?? {});
  const generic = [
    { name: NUL, email: NUL, password: NUL, model: NUL },
    { name: HUGE, email: HUGE, password: HUGE },
    { name: 123, kind: [], settings: "x", models: {} },
    { unknownField: true },
    { admin: { email: NUL, password: NUL } },
  ];
  const targeted = fields.flatMap(([name, schema]) => [
    { [name]: schema.type === "string" ? 12345 : "not-the-right-type" },
    { [name]: NUL },
    { [name]: HUGE },
    { [name]: { nested: { deeper: [NUL] } } },
    { [name]: null },
  ]);
  return [...generic, ...targeted];
}

interface Outcome {
  route: string;
  status: number;
  body: unknown;
}

async function sendOnce(method: string, path: string, body: string | undefined, auth: boolean): Promise<Outcome> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (auth && api.token !== null) headers.authorization = `Bearer ${api.token}`;
  const response = await fetch(`${consoleUrl}${path}`, {
    method,
    headers,
    redirect: "manual",
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Non-JSON answers are checked below (only redirects may have no JSON body).
  }
  return { route: `${method} ${path} ${body === undefined ? "" : body.slice(0, 80)}`, status: response.status, body: parsed };
}

/** Answers of authenticated cases on non-public routes, to tell handler answers from auth-check answers. */
const authenticated = { sent: 0, unauthorized: 0, unauthorizedByRoute: new Map<string, number>() };

async function signIn(): Promise<void> {
  api.token = (await api.call<{ accessToken: string }>("POST", "/api/auth/login", DEFAULT_ADMIN)).body.accessToken;
}

/** One case; an authenticated case that met an ended session (an earlier logout) signs in again and is resent. */
async function send(operation: Operation, path: string, body: string | undefined, auth: boolean): Promise<Outcome> {
  let outcome = await sendOnce(operation.method, path, body, auth);
  if (!auth || operation.access === "public") return outcome;
  if (outcome.status === 401 && (await api.call("GET", "/api/auth/me")).status === 401) {
    await signIn();
    outcome = await sendOnce(operation.method, path, body, auth);
  }
  authenticated.sent += 1;
  if (outcome.status === 401) {
    authenticated.unauthorized += 1;
    const route = `${operation.method} ${operation.path}`;
    authenticated.unauthorizedByRoute.set(route, (authenticated.unauthorizedByRoute.get(route) ?? 0) + 1);
  }
  return outcome;
}

/** What is wrong with an answer: a 5xx, or an error that is not the standard console error body; null if sane. */
function problemOf(outcome: Outcome): string | null {
  if (outcome.status >= 500) return `${outcome.route} -> ${outcome.status} ${JSON.stringify(outcome.body).slice(0, 200)}`;
  if (outcome.status < 400) return null;
  const error = (outcome.body as { error?: Record<string, unknown> } | null)?.error;
  const standard =
    typeof error === "object" &&
    error !== null &&
    typeof error.code === "string" &&
    typeof error.message === "string" &&
    typeof error.requestId === "string";
  return standard ? null : `${outcome.route} -> ${outcome.status} without the console error body`;
}

const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);

describe("fuzz pass over every console route", () => {
  it("covers the routes of every area", () => {
    const paths = new Set(operations.map((o) => o.path));
    for (const path of [
      "/api/admin/providers/{id}",
      "/api/admin/settings/{category}",
      "/api/admin/sso",
      "/api/keys",
      "/api/auth/login",
    ]) {
      expect(paths.has(path)).toBe(true);
    }
  });

  it("answers hostile path segments and query strings with 4xx, never 5xx", async () => {
    const problems: string[] = [];
    for (const operation of operations) {
      const paths = operation.path.includes("{") ? PATH_VALUES.map((value) => fill(operation.path, value)) : [operation.path];
      // Reads of real entities too (with hostile queries); writes to them wait for the body pass, deletions last.
      if (operation.method === "GET" && operation.path.includes("{")) paths.push(realPath(operation.path));
      for (const path of paths) {
        for (const query of QUERIES) {
          const body = operation.method === "GET" || operation.method === "DELETE" ? undefined : "{}";
          const problem = problemOf(await send(operation, `${path}${query}`, body, true));
          if (problem !== null) problems.push(problem);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("aims at entities that exist: the read of each real path answers 200", async () => {
    const misses: string[] = [];
    for (const operation of operations.filter((o) => o.method === "GET" && o.path.includes("{"))) {
      const outcome = await send(operation, realPath(operation.path), undefined, true);
      if (outcome.status !== 200) misses.push(`GET ${realPath(operation.path)} -> ${outcome.status}`);
    }
    expect(misses).toEqual([]);
  });

  it("answers malformed, mistyped, NUL-laden, huge and unknown bodies with 4xx, never 5xx", async () => {
    const problems: string[] = [];
    for (const operation of operations.filter((o) => o.method !== "GET").sort(byDeletionLast)) {
      const paths = new Set([fill(operation.path, "00000000-0000-4000-8000-000000000000"), realPath(operation.path)]);
      const bodies = [...RAW_BODIES, ...objectBodies(operation).map((body) => JSON.stringify(body))];
      for (const path of paths) {
        for (const body of bodies) {
          for (const auth of [true, false]) {
            const problem = problemOf(await send(operation, path, body, auth));
            if (problem !== null) problems.push(problem);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("reached the handlers: authenticated cases were almost never turned away by the auth check", () => {
    // Only a session that ended between a case and its resend answers 401, plus the few routes whose own answer
    // is 401 (a wrong current password); a pass that stops reaching the handlers crosses this bound at once.
    expect(authenticated.sent).toBeGreaterThan(1000);
    const byRoute = JSON.stringify(Object.fromEntries(authenticated.unauthorizedByRoute));
    expect(authenticated.unauthorized / authenticated.sent, `401s by route: ${byRoute}`).toBeLessThan(0.02);
  });

  it("refuses a NUL byte with the field named", async () => {
    await signIn();
    const response = await api.call("POST", "/api/admin/providers", { name: NUL, kind: "openai" });
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: "invalid request: name: must not contain NUL characters",
        requestId: expect.any(String),
        details: { fields: { name: "must not contain NUL characters" } },
      },
    });
  });
});
