/**
 * The log explorer API against real ClickHouse and the whole fleet: the structured query syntax, time range and
 * cursor pagination; users see their own rows, admins everyone's; injection attempts (quotes, backslashes,
 * comments, unicode) give results or a 400, never a ClickHouse error or another user's rows; redelivered rows show
 * once; admin changes reach audit_logs through the PostgreSQL outbox; secrets never appear in a row.
 */
import { randomUUID } from "node:crypto";
import { createClickHouse, gatewayEventToRow } from "@thinkwatch/clickhouse";
import { createDb, tables } from "@thinkwatch/db";
import type { GatewayRequestEvent } from "@thinkwatch/proto";
import { createConsoleClient, type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../src/auth/passwords.js";

let scenario: GatewayScenario;
let developer: ReturnType<typeof createConsoleClient>;
let developerId: string;
let adminId: string;
const now = Date.now();

function row(userId: string, n: number, change: Partial<GatewayRequestEvent> = {}) {
  return gatewayEventToRow({
    eventId: randomUUID(),
    occurredAt: now - 60_000 + n * 1000,
    requestId: `req-${userId.slice(0, 4)}-${n}`,
    apiKeyId: randomUUID(),
    userId,
    teamId: null,
    providerId: "openai",
    providerKind: "openai",
    inboundApi: "openai_chat",
    model: n % 2 === 0 ? "gpt-4o" : "gpt-4o-mini",
    upstreamModel: null,
    stream: false,
    statusCode: n % 5 === 0 ? 500 : 200,
    errorCode: null,
    inputTokens: n,
    outputTokens: 1,
    cachedTokens: 0,
    reasoningTokens: 0,
    latencyMs: 10 * n,
    timeToFirstTokenMs: null,
    clientIp: null,
    userAgent: n === 7 ? "needle in the haystack" : "sdk/1",
    ...change,
  });
}

interface Page {
  rows: Array<{ source: string; eventId: string; occurredAt: number; summary: string; fields: Record<string, unknown> }>;
  nextCursor: string | null;
}

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: [] });
  const me = await scenario.admin.call<{ user: { id: string } }>("GET", "/api/auth/me");
  adminId = me.body.user.id;
  const pg = createDb({ url: scenario.testEnv.env.DATABASE_URL as string });
  const [dev] = await pg.db
    .insert(tables.users)
    .values({
      email: "dev@example.com",
      displayName: "Dev",
      role: "developer",
      passwordHash: await hashPassword("Dev-pass-12345"),
    })
    .returning();
  await pg.close();
  developerId = dev?.id as string;
  developer = createConsoleClient(scenario.fleet.consoleUrl);
  const login = await developer.call<{ accessToken: string }>("POST", "/api/auth/login", {
    email: "dev@example.com",
    password: "Dev-pass-12345",
  });
  expect(login.status).toBe(200);
  developer.token = login.body.accessToken;

  const clickhouse = createClickHouse({
    url: scenario.testEnv.env.CLICKHOUSE_URL as string,
    database: scenario.testEnv.env.CLICKHOUSE_DB as string,
  });
  await waitFor(async () => (await clickhouse.query("EXISTS TABLE gateway_logs")).length > 0, { what: "the schema" });
  const mine = Array.from({ length: 25 }, (_, n) => row(developerId, n));
  const theirs = Array.from({ length: 10 }, (_, n) => row(adminId, n));
  await clickhouse.insert("gateway_logs", [...mine, ...theirs]);
  await clickhouse.insert("gateway_logs", [mine[3] as Record<string, unknown>]); // a redelivered event
  await clickhouse.close();
}, 120_000);

afterAll(async () => {
  await scenario?.close();
});

const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

describe("log explorer", () => {
  it("parses the structured syntax into the right rows", async () => {
    const res = await scenario.admin.call<Page>("GET", `/api/gateway/logs${q({ q: "model:gpt-4o status:>=400", limit: "200" })}`);
    expect(res.status).toBe(200);
    // n % 2 === 0 and n % 5 === 0: n = 0, 10, 20 for the developer, 0 for the admin.
    expect(res.body.rows.map((r) => r.fields.request_id).sort()).toEqual(
      [`req-${adminId.slice(0, 4)}-0`, ...[0, 10, 20].map((n) => `req-${developerId.slice(0, 4)}-${n}`)].sort(),
    );
    const text = await scenario.admin.call<Page>("GET", `/api/gateway/logs${q({ q: '"NEEDLE in the"' })}`);
    expect(text.body.rows.map((r) => r.fields.user_agent)).toEqual(["needle in the haystack", "needle in the haystack"]);
    const range = await scenario.admin.call<Page>(
      "GET",
      `/api/gateway/logs${q({ from: String(now - 60_000 + 20_000), to: String(now - 60_000 + 22_000), limit: "200" })}`,
    );
    expect(range.body.rows.map((r) => r.fields.input_tokens).sort()).toEqual(["20", "21", "22"]);
  });

  it("pages with a cursor, newest first, and shows a redelivered event once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const params: Record<string, string> = { limit: "10", ...(cursor === null ? {} : { cursor }) };
      const res: { status: number; body: Page } = await developer.call<Page>("GET", `/api/gateway/logs${q(params)}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.rows.map((r) => r.eventId));
      const times = res.body.rows.map((r) => r.occurredAt);
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
  });

  it("shows a developer only their own rows; an admin everyone's", async () => {
    const dev = await developer.call<Page>("GET", `/api/gateway/logs${q({ limit: "200" })}`);
    expect(dev.body.rows).toHaveLength(25);
    expect(new Set(dev.body.rows.map((r) => r.fields.user_id))).toEqual(new Set([developerId]));
    const asOther = await developer.call<Page>("GET", `/api/gateway/logs${q({ q: `user:${adminId}`, limit: "200" })}`);
    expect(asOther.body.rows).toEqual([]);
    const admin = await scenario.admin.call<Page>("GET", `/api/logs/search${q({ limit: "200", sources: "gateway" })}`);
    expect(admin.body.rows).toHaveLength(35);
  });

  it.each([
    ["a quote closing the literal", `model:"x' OR 1=1 --"`],
    ["backslash before a quote", `model:x\\' OR '1'='1`],
    ["a statement after a semicolon", `"'; DROP TABLE gateway_logs; --"`],
    ["a lone backslash", `model:"\\\\"`],
    ["a block comment", `model:/**/gpt-4o`],
    ["a numeric field with SQL", "status:>=1 OR 1=1"],
    ["unicode and NUL", `"gpt-4o\u0000\u202e\ud83d\ude00"`],
    ["a user filter that tries to widen the scope", `user:"' OR user_id != '"`],
    ["a placeholder-looking value", `model:{p0:String}`],
  ])("answers %s with rows of the caller only, never a ClickHouse error", async (_name, query) => {
    const res = await developer.call<Page>("GET", `/api/gateway/logs${q({ q: query, limit: "200" })}`);
    expect(res.status).toBe(200);
    expect(res.body.rows.every((r) => r.fields.user_id === developerId)).toBe(true);
    expect(res.body.rows.length).toBeLessThan(26);
  });

  it.each([
    ["an unknown field", "foo:bar", "unknown field 'foo' for gateway logs"],
    ["an unterminated quote", '"abc', "unterminated quote at position 1 of the query"],
    ["a non-number for a numeric field", "status:>=abc", "status: 'abc' is not a number"],
    ["a comparison on a text field", "model:>gpt", "model: only = and != apply to text (got >)"],
    ["an empty value", "model:", 'model: needs a value (write model:value or model:"a value")'],
  ])("answers %s with a 400 naming the problem", async (_name, query, message) => {
    const res = await developer.call<{ error: { code: string; message: string; requestId: string } }>(
      "GET",
      `/api/gateway/logs${q({ q: query })}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "bad_request", message });
    expect(res.body.error.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("rejects a forged cursor, a bad time range and a bad limit with 400", async () => {
    const cases: Array<Record<string, string>> = [
      { cursor: "bm90LWEtY3Vyc29y" },
      { from: "yesterday" },
      { from: "2000", to: "1000" },
      { limit: "0" },
      { limit: "1e9" },
    ];
    for (const params of cases) {
      const res = await developer.call<{ error: { code: string } }>("GET", `/api/gateway/logs${q(params)}`);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.body.error.code).toMatch(/bad_request|validation_failed/);
    }
  });

  it("records an admin change through the PostgreSQL outbox into audit_logs, secrets redacted", async () => {
    const created = await scenario.admin.call<{ forwarder: { id: string } }>("POST", "/api/admin/log-forwarders", {
      name: "hook",
      kind: "webhook",
      settings: { url: "https://siem.example.com/in?key=AIzaSy-very-secret&x=1", secret: "0123456789abcdef0123" },
    });
    expect(created.status).toBe(201);
    const found = await waitFor(
      async () => {
        const res = await scenario.admin.call<Page>("GET", `/api/audit/logs${q({ q: "action:log_forwarder.created" })}`);
        return res.body.rows.length > 0 ? res.body.rows : null;
      },
      { what: "the audit record in audit_logs", timeoutMs: 30_000 },
    );
    const record = found[0]?.fields as Record<string, string>;
    expect(record).toMatchObject({ actor_id: adminId, target_id: created.body.forwarder.id, outcome: "success" });
    expect(record.after_json).toContain("https://siem.example.com/in?key=[redacted]&x=1");
    expect(record.after_json).not.toContain("very-secret");
    expect(record.after_json).not.toContain("0123456789abcdef0123");
    // The developer is not the actor: their audit view does not include it.
    const dev = await developer.call<Page>("GET", `/api/audit/logs${q({ q: "action:log_forwarder.created" })}`);
    expect(dev.body.rows).toEqual([]);
  });
});
