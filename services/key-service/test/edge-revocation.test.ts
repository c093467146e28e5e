/**
 * Keys at the edges, as deployed: one process with the core services and TWO ai-proxy processes, each with its own
 * in-memory key cache. A revoked, rotated-out or expired key and a deactivated user's keys stop working on both
 * within one second; bad keys get 401/403 in the caller's API shape; malformed console input gets a 400; and no
 * plaintext key shows up in the database, a log line, a NATS message of the namespace or a ClickHouse row.
 */
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import { type Bus, connectBus } from "@thinkwatch/bus";
import { createLogger } from "@thinkwatch/log";
import { UsersChanged } from "@thinkwatch/proto";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  type FakeUpstream,
  type FleetProcess,
  startFakeUpstream,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import OpenAI from "openai";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let testEnv: TestEnvironment;
let fake: FakeUpstream;
let core: FleetProcess;
let edges: FleetProcess[];
let admin: ConsoleClient;
let adminId: string;
let bus: Bus;
const natsMessages: string[] = [];
const plaintexts: string[] = [];

beforeAll(async () => {
  testEnv = await createTestEnvironment({ clickhouse: true });
  fake = await startFakeUpstream({ kind: "openai", record: false });
  bus = await connectBus({
    url: testEnv.env.NATS_URL as string,
    namespace: testEnv.id,
    name: "test",
    log: createLogger({ service: "test", level: "silent" }),
  });
  // Every message of the test namespace, to prove no plaintext key crosses the bus.
  bus.nc.subscribe(`${testEnv.id}.>`, {
    callback: (_err, msg) => {
      natsMessages.push(`${msg.subject} ${msg.string()} ${msg.headers?.toString() ?? ""}`);
    },
  });
  // Debug logging, so the "no plaintext in any log line" check covers everything the services can say.
  const env = { ...testEnv.env, LOG_LEVEL: "debug" };
  core = await startFleetProcess({
    env,
    services: ["key-service", "quota", "audit-ingest", "forwarder", "admin-api", "mcp-proxy"],
  });
  edges = await Promise.all([0, 1].map(() => startFleetProcess({ env, services: ["ai-proxy"] })));
  admin = createConsoleClient(core.consoleUrl);
  adminId = (await admin.initialize()).userId;
  const provider = await admin.call("POST", "/api/admin/providers", {
    name: "openai",
    kind: "openai",
    baseUrl: fake.baseUrl,
    apiKey: fake.apiKey,
    settings: {},
  });
  expect(provider.status).toBe(201);
  const probe = await createKey({ name: "probe" });
  for (const edge of edges) {
    await waitFor(async () => (await chat(edge, probe)).status === 200, { what: "routing on every edge" });
  }
});

afterAll(async () => {
  await bus?.close(1000);
  for (const fleet of [...(edges ?? []), core]) await fleet?.stop();
  await fake?.close();
  await testEnv?.cleanup();
});

const idOf = new Map<string, string>();

async function createKey(body: Record<string, unknown>): Promise<string> {
  const created = await admin.call<{ plaintext: string; key: { id: string } }>("POST", "/api/keys", body);
  expect(created.status).toBe(201);
  plaintexts.push(created.body.plaintext);
  idOf.set(created.body.plaintext, created.body.key.id);
  return created.body.plaintext;
}

async function keyIdOf(plaintext: string): Promise<string> {
  const id = idOf.get(plaintext);
  if (id === undefined) throw new Error("not a key of this test");
  return id;
}

async function chat(edge: FleetProcess, key: string) {
  const response = await fetch(`${edge.gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
  });
  return { status: response.status, body: (await response.json()) as { error?: { message: string; code: string } } };
}

/** Milliseconds from `since` until every edge refuses the key with `message`; the deadline is the one second. */
async function refusedEverywhereWithin(key: string, message: string, since: number): Promise<number> {
  const delays = await Promise.all(
    edges.map(async (edge) => {
      await waitFor(async () => (await chat(edge, key)).body.error?.message === message, {
        timeoutMs: 1000 - (Date.now() - since),
        intervalMs: 10,
        what: `edge ${edge.gatewayUrl} to refuse the key: ${message}`,
      });
      return Date.now() - since;
    }),
  );
  return Math.max(...delays);
}

async function workEverywhere(key: string) {
  for (const edge of edges) expect((await chat(edge, key)).status).toBe(200);
}

describe("propagation to every edge", () => {
  it("a revoked key is refused by both ai-proxy processes within one second", async () => {
    const key = await createKey({ name: "to revoke" });
    await workEverywhere(key); // now cached on both edges
    const id = await keyIdOf(key);
    const revoked = await admin.call("POST", `/api/keys/${id}/revoke`);
    expect(revoked.status).toBe(200);
    // From the moment the revocation is committed and answered (the broadcast left before the answer).
    const started = Date.now();
    expect(await refusedEverywhereWithin(key, "this API key has been revoked", started)).toBeLessThan(1000);
    expect((await chat(edges[0] as FleetProcess, key)).body).toEqual({
      error: { message: "this API key has been revoked", type: "authentication_error", param: null, code: "invalid_api_key" },
    });
  });

  it("a rotated key works beside its successor during grace; with no grace it stops on both edges within one second", async () => {
    const key = await createKey({ name: "to rotate" });
    await workEverywhere(key);
    const id = await keyIdOf(key);
    const rotated = await admin.call<{ plaintext: string; key: { id: string; lineageId: string } }>(
      "POST",
      `/api/keys/${id}/rotate`,
      { graceHours: 1 },
    );
    expect(rotated.status).toBe(201);
    plaintexts.push(rotated.body.plaintext);
    await workEverywhere(key);
    await workEverywhere(rotated.body.plaintext);
    expect(rotated.body.key.lineageId).toBe(id);

    const again = await admin.call("POST", `/api/keys/${id}/rotate`);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: {
        code: "conflict",
        message: expect.stringMatching(
          new RegExp(
            `^this API key was already rotated \\(it keeps working until .+\\); rotate its successor ${rotated.body.key.id} instead$`,
          ),
        ),
        requestId: expect.any(String),
        details: { successorId: rotated.body.key.id, graceEndsAt: expect.any(Number) },
      },
    });

    const successor = rotated.body.plaintext;
    const noGrace = await admin.call<{ plaintext: string }>("POST", `/api/keys/${rotated.body.key.id}/rotate`, { graceHours: 0 });
    expect(noGrace.status).toBe(201);
    const started = Date.now();
    plaintexts.push(noGrace.body.plaintext);
    expect(
      await refusedEverywhereWithin(
        successor,
        "this API key was rotated and its grace period has ended; use its successor",
        started,
      ),
    ).toBeLessThan(1000);
    await workEverywhere(noGrace.body.plaintext);
  });

  it("an expiring key stops on both edges at its expiry, without waiting for any cache", async () => {
    const expiresAt = Date.now() + 1500;
    const key = await createKey({ name: "short-lived", expiresAt });
    await workEverywhere(key);
    expect(await refusedEverywhereWithin(key, "this API key has expired", expiresAt)).toBeLessThan(1000);
  });

  it("a deactivated user's keys are refused at once on both edges, and work again after reactivation", async () => {
    const key = await createKey({ name: "owner goes away" });
    await workEverywhere(key);
    const started = Date.now();
    bus.broadcast(UsersChanged, { userId: adminId, change: "deactivated" });
    expect(
      await refusedEverywhereWithin(
        key,
        "this API key is suspended: its owner is deactivated or no longer allowed to use API keys",
        started,
      ),
    ).toBeLessThan(1000);
    bus.broadcast(UsersChanged, { userId: adminId, change: "reactivated" });
    for (const edge of edges) await waitFor(async () => (await chat(edge, key)).status === 200, { what: "reactivated" });
  });

  it("keeps last_used_at from the edges' batched reports", async () => {
    const key = await createKey({ name: "used" });
    const id = await keyIdOf(key);
    expect((await admin.call<{ key: { lastUsedAt: number | null } }>("GET", `/api/keys/${id}`)).body.key.lastUsedAt).toBeNull();
    const before = Date.now();
    await workEverywhere(key);
    const lastUsed = await waitFor(
      async () => (await admin.call<{ key: { lastUsedAt: number | null } }>("GET", `/api/keys/${id}`)).body.key.lastUsedAt,
      { what: "last_used_at to be reported" },
    );
    expect(lastUsed).toBeGreaterThanOrEqual(before - 1000);
  });
});

describe("bad keys in the caller's API shape", () => {
  const edge = () => edges[0] as FleetProcess;
  let expired: string;
  let mcpOnly: string;

  beforeAll(async () => {
    expired = await createKey({ name: "expired", expiresAt: Date.now() + 300 });
    mcpOnly = await createKey({ name: "mcp only", surfaces: ["mcp_gateway"] });
    await waitFor(async () => (await chat(edge(), expired)).status === 401, { what: "the key to expire" });
  });

  it.each([
    ["a malformed key", () => "tw-short", 401, "invalid API key", "invalid_api_key"],
    ["a provider key", () => "sk-proj-0123456789abcdef", 401, "invalid API key", "invalid_api_key"],
    ["an expired key", () => expired, 401, "this API key has expired", "invalid_api_key"],
    ["a key on the wrong surface", () => mcpOnly, 403, "this API key is not enabled for the AI gateway", "forbidden"],
  ])("OpenAI: %s", async (_label, keyOf, status, message, code) => {
    const client = new OpenAI({ apiKey: keyOf(), baseURL: `${edge().gatewayUrl}/v1`, maxRetries: 0 });
    const failure = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(status === 401 ? OpenAI.AuthenticationError : OpenAI.PermissionDeniedError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(status);
    expect((failure as InstanceType<typeof OpenAI.APIError>).error).toEqual({
      message,
      type: status === 401 ? "authentication_error" : "permission_error",
      param: null,
      code,
    });
  });

  it.each([
    ["a malformed key", () => "not-a-key", 401, "invalid API key"],
    ["an expired key", () => expired, 401, "this API key has expired"],
    ["a key on the wrong surface", () => mcpOnly, 403, "this API key is not enabled for the AI gateway"],
  ])("Anthropic: %s", async (_label, keyOf, status, message) => {
    const client = new Anthropic({ apiKey: keyOf(), baseURL: edge().gatewayUrl, maxRetries: 0 });
    const failure = await client.messages
      .create({ model: "gpt-4o-mini", max_tokens: 5, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(status === 401 ? Anthropic.AuthenticationError : Anthropic.PermissionDeniedError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: "error",
      error: { type: status === 401 ? "authentication_error" : "permission_error", message },
    });
  });

  it.each([
    ["a malformed key", () => "AIzaNotAThinkWatchKey", 401, "UNAUTHENTICATED", "invalid API key"],
    ["an expired key", () => expired, 401, "UNAUTHENTICATED", "this API key has expired"],
    ["a key on the wrong surface", () => mcpOnly, 403, "PERMISSION_DENIED", "this API key is not enabled for the AI gateway"],
  ])("Gemini: %s", async (_label, keyOf, status, googleStatus, message) => {
    const client = new GoogleGenAI({ apiKey: keyOf(), httpOptions: { baseUrl: edge().gatewayUrl } });
    const failure = (await client.models.generateContent({ model: "gpt-4o-mini", contents: "hi" }).catch((e: unknown) => e)) as {
      status?: number;
      message?: string;
    };
    expect(failure.status).toBe(status);
    const raw = await fetch(`${edge().gatewayUrl}/v1beta/models/gpt-4o-mini:generateContent`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-goog-api-key": keyOf() },
      body: JSON.stringify({ contents: [{ parts: [{ text: "hi" }] }] }),
    });
    expect(raw.status).toBe(status);
    expect(await raw.json()).toEqual({ error: { code: status, status: googleStatus, message } });
  });
});

describe("malformed console input", () => {
  const fieldError = (message: string, fields: Record<string, string>) => ({
    error: { code: "validation_failed", message, requestId: expect.any(String), details: { fields } },
  });
  let id: string;

  beforeAll(async () => {
    id = await keyIdOf(await createKey({ name: "target" }));
  });

  it.each([
    [
      "a key id that is not a UUID",
      "POST",
      "/api/keys/not-a-uuid/rotate",
      undefined,
      fieldError("key id must be a UUID", { id: "must be a UUID" }),
    ],
    [
      "an unknown field",
      "POST",
      "/api/keys",
      { name: "x", admin: true },
      fieldError('invalid request: admin: Invalid key: Expected never but received "admin"', {
        admin: 'Invalid key: Expected never but received "admin"',
      }),
    ],
    [
      "a pattern with whitespace",
      "PATCH",
      "/api/keys/:id",
      { allowedModels: ["gpt 4o"] },
      fieldError("invalid request: allowedModels.0: a pattern may not contain whitespace", {
        "allowedModels.0": "a pattern may not contain whitespace",
      }),
    ],
    [
      "a negative grace period",
      "POST",
      "/api/keys/:id/rotate",
      { graceHours: -1 },
      fieldError("invalid request: graceHours: graceHours may not be negative", { graceHours: "graceHours may not be negative" }),
    ],
    [
      "an expiry in the past",
      "PATCH",
      "/api/keys/:id",
      { expiresAt: 1000 },
      fieldError("invalid request: expiresAt: must be in the future", { expiresAt: "must be in the future" }),
    ],
    [
      "an unknown surface",
      "POST",
      "/api/keys",
      { name: "x", surfaces: ["teleport"] },
      fieldError(expect.stringMatching(/^invalid request: surfaces\.0: /), { "surfaces.0": expect.any(String) }),
    ],
    [
      "a force flag that is not a boolean",
      "POST",
      "/api/keys/:id/revoke?force=maybe",
      undefined,
      fieldError("invalid request: force: must be true or false", { force: "must be true or false" }),
    ],
    [
      "a zero-day inactivity timeout",
      "PATCH",
      "/api/keys/:id",
      { inactivityTimeoutDays: 0 },
      fieldError("invalid request: inactivityTimeoutDays: inactivityTimeoutDays must be at least 1 day", {
        inactivityTimeoutDays: "inactivityTimeoutDays must be at least 1 day",
      }),
    ],
  ])("%s → 400", async (_label, method, path, body, expected) => {
    const response = await admin.call(method, path.replace(":id", id), body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(expected);
  });

  it("answers 404, not 403, for a key id that does not exist", async () => {
    const response = await admin.call("POST", "/api/keys/00000000-0000-4000-8000-000000000000/revoke");
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: {
        code: "not_found",
        message: "no API key with id 00000000-0000-4000-8000-000000000000",
        requestId: expect.any(String),
      },
    });
  });
});

describe("secrets", () => {
  it("leaves no plaintext key in the database, any log line, any NATS message or any ClickHouse row", async () => {
    expect(plaintexts.length).toBeGreaterThan(8);
    // Make sure the gateway's requests reached ClickHouse, so the check below looks at real rows.
    const clickhouse = async (query: string) => {
      const response = await fetch(testEnv.env.CLICKHOUSE_URL as string, { method: "POST", body: query });
      expect(response.ok).toBe(true);
      return response.text();
    };
    const db = testEnv.env.CLICKHOUSE_DB as string;
    await waitFor(async () => Number((await clickhouse(`SELECT count() FROM ${db}.gateway_logs`)).trim()) > 10, {
      what: "gateway rows in ClickHouse",
    });
    const tables = (await clickhouse(`SELECT name FROM system.tables WHERE database = '${db}'`)).trim().split("\n");
    let clickhouseRows = "";
    for (const table of tables) clickhouseRows += await clickhouse(`SELECT * FROM ${db}.${table} FORMAT JSONEachRow`);
    expect(clickhouseRows.length).toBeGreaterThan(0);

    const sql = postgres(testEnv.env.DATABASE_URL as string, { max: 1 });
    let database = "";
    try {
      const names = await sql<{ tablename: string }[]>`select tablename from pg_tables where schemaname = 'public'`;
      for (const { tablename } of names) database += JSON.stringify(await sql`select * from ${sql(tablename)}`);
    } finally {
      await sql.end();
    }
    const logs = [core, ...edges].map((p) => p.output()).join("\n");
    expect(logs.length).toBeGreaterThan(1000);
    const nats = natsMessages.join("\n");
    expect(natsMessages.length).toBeGreaterThan(10);

    for (const plaintext of plaintexts) {
      const secret = plaintext.slice(3); // the random part, wherever it might appear
      expect(database.includes(secret), "database").toBe(false);
      expect(logs.includes(secret), "logs").toBe(false);
      expect(nats.includes(secret), "NATS").toBe(false);
      expect(clickhouseRows.includes(secret), "ClickHouse").toBe(false);
    }
  });
});
