/**
 * The limits and model-pricing routes of the console API in front of the real quota service: rules, budgets, usage,
 * bulk, prices — and bad input on every one of them answered 400 with the field named.
 */
import { randomUUID } from "node:crypto";
import { keyService } from "@thinkwatch/key-service";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import { quotaService } from "@thinkwatch/quota";
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

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  const port = await freePort();
  fleet = await startFleet({
    services: [keyService, quotaService, adminApiService],
    env: { ...testEnv.env, CONSOLE_PORT: String(port), HEALTH_PORT: String(await freePort()) },
  });
  api = createConsoleClient(`http://127.0.0.1:${port}`);
  await api.initialize();
});

afterAll(async () => {
  await fleet?.stop("test done");
  await testEnv?.cleanup();
});

const requestId = expect.any(String);
const rule = { surface: "ai_gateway", metric: "requests", windowSeconds: 60, limit: 60 };

function invalid(fields: Record<string, string>) {
  return {
    error: {
      code: "validation_failed",
      message: `invalid request: ${Object.entries(fields)
        .map(([path, message]) => `${path}: ${message}`)
        .join("; ")}`,
      requestId,
      details: { fields },
    },
  };
}

describe("rules and budgets per subject", () => {
  it("stores rules with expiry and reason, budgets in tokens and USD, and reports usage", async () => {
    const user = randomUUID();
    const expiresAt = Date.now() + 86_400_000;
    const rules = await api.call("PUT", `/api/admin/limits/user/${user}/rules`, {
      rules: [rule, { ...rule, metric: "tokens", windowSeconds: 86400, limit: 1_000_000, expiresAt, reason: "launch week" }],
    });
    expect(rules.status).toBe(200);
    expect(rules.body).toEqual({
      rules: [
        { ...rule, enabled: true, expiresAt: null, reason: null },
        { ...rule, metric: "tokens", windowSeconds: 86400, limit: 1_000_000, enabled: true, expiresAt, reason: "launch week" },
      ],
    });
    const budgets = await api.call("PUT", `/api/admin/limits/user/${user}/budgets`, {
      budgets: [
        { period: "monthly", unit: "tokens", limit: 20_000_000 },
        { period: "weekly", unit: "usd", limit: 150.5, timezone: "Europe/Berlin" },
      ],
    });
    expect(budgets.status).toBe(200);
    expect((await api.call("GET", `/api/admin/limits/user/${user}/budgets`)).body).toEqual({
      budgets: [
        { period: "monthly", unit: "tokens", limit: 20_000_000, timezone: "UTC", enabled: true, expiresAt: null, reason: null },
        { period: "weekly", unit: "usd", limit: 150.5, timezone: "Europe/Berlin", enabled: true, expiresAt: null, reason: null },
      ],
    });
    const usage = await api.call<{ rules: Array<Record<string, unknown>>; budgets: Array<Record<string, unknown>> }>(
      "GET",
      `/api/admin/limits/user/${user}/usage`,
    );
    expect(usage.status).toBe(200);
    expect(usage.body.rules.map((r) => [r.label, r.used, r.remaining])).toEqual([
      ["user:requests/1m", 0, 60],
      ["user:tokens/1d", 0, 1_000_000],
    ]);
    expect(usage.body.budgets.map((b) => [b.label, b.used, b.reserved, b.remaining])).toEqual([
      ["user:budget/monthly", 0, 0, 20_000_000],
      ["user:budget/weekly_usd", 0, 0, 150.5],
    ]);
    const listed = await api.call<{ subjects: unknown[] }>("GET", "/api/admin/limits");
    expect(listed.body.subjects).toContainEqual({ subject: { kind: "user", id: user }, rules: 2, budgets: 2 });
  });

  it("sets the same limits on many subjects at once, all or nothing", async () => {
    const keys = [randomUUID(), randomUUID()];
    const bulk = await api.call<{ results: unknown[] }>("PUT", "/api/admin/limits/bulk", {
      subjects: keys.map((id) => ({ kind: "api_key", id })),
      rules: [rule],
      budgets: [{ period: "daily", unit: "usd", limit: 5 }],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results).toHaveLength(2);
    for (const id of keys) {
      expect((await api.call("GET", `/api/admin/limits/api_key/${id}/rules`)).body).toEqual({
        rules: [{ ...rule, enabled: true, expiresAt: null, reason: null }],
      });
    }
    const server = randomUUID();
    const refused = await api.call("PUT", "/api/admin/limits/bulk", {
      subjects: [
        { kind: "user", id: randomUUID() },
        { kind: "mcp_server", id: server },
      ],
      budgets: [{ period: "daily", unit: "usd", limit: 5 }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(
      invalid({ budgets: `mcp_server ${server}: MCP servers have no token cost, so they take rate limits, not budgets` }),
    );
    expect((await api.call<{ subjects: unknown[] }>("GET", "/api/admin/limits")).body.subjects).not.toContainEqual(
      expect.objectContaining({ subject: { kind: "mcp_server", id: server } }),
    );
  });
});

describe("bad input → 400 naming the field", () => {
  const id = randomUUID();
  it.each([
    [
      "PUT",
      `/api/admin/limits/planet/${id}/rules`,
      { rules: [] },
      { kind: "kind must be one of user, api_key, provider, mcp_server, team" },
    ],
    [
      "GET",
      `/api/admin/limits/galaxy/${id}/budgets`,
      undefined,
      { kind: "kind must be one of user, api_key, provider, mcp_server, team" },
    ],
    [
      "GET",
      `/api/admin/limits/star/${id}/usage`,
      undefined,
      { kind: "kind must be one of user, api_key, provider, mcp_server, team" },
    ],
    ["PUT", `/api/admin/limits/user/${id}/rules`, { rules: [{ ...rule, limit: -1 }] }, { "rules.0.limit": "limit must be ≥ 0" }],
    [
      "PUT",
      `/api/admin/limits/user/${id}/rules`,
      { rules: [{ ...rule, windowSeconds: 120 }] },
      { "rules.0.windowSeconds": "window must be 60, 300, 3600, 18000, 86400 or 604800 seconds" },
    ],
    [
      "PUT",
      `/api/admin/limits/user/${id}/rules`,
      { rules: [{ ...rule, metric: "bytes" }] },
      { "rules.0.metric": "metric must be requests or tokens" },
    ],
    [
      "PUT",
      `/api/admin/limits/user/${id}/budgets`,
      { budgets: [{ period: "daily", unit: "tokens", limit: -5 }] },
      { "budgets.0.limit": "limit must be ≥ 0" },
    ],
    [
      "PUT",
      `/api/admin/limits/user/${id}/budgets`,
      { budgets: [{ period: "fortnightly", unit: "tokens", limit: 5 }] },
      { "budgets.0.period": "period must be daily, weekly or monthly" },
    ],
    [
      "PUT",
      `/api/admin/limits/user/${id}/budgets`,
      { budgets: [{ period: "daily", unit: "tokens", limit: 5, timezone: "Mars/Olympus" }] },
      { "budgets.0.timezone": "timezone must be an IANA time zone such as Europe/Berlin" },
    ],
    [
      "PUT",
      "/api/admin/limits/bulk",
      { subjects: [{ kind: "moon", id }], rules: [rule] },
      { "subjects.0.kind": "kind must be one of user, api_key, provider, mcp_server, team" },
    ],
    ["PUT", "/api/admin/limits/bulk", { subjects: [], rules: [rule] }, { subjects: "name at least one subject" }],
    [
      "PUT",
      "/api/admin/models/gpt-4o/pricing",
      { inputPerMTok: -1, outputPerMTok: 10 },
      { inputPerMTok: "inputPerMTok must be ≥ 0" },
    ],
    [
      "PUT",
      "/api/admin/models/gpt-4o/pricing",
      { inputPerMTok: 1, outputPerMTok: 10, outputMultiplier: "high" },
      { outputMultiplier: "outputMultiplier must be a number" },
    ],
    [
      "PUT",
      "/api/admin/models/gpt%204o/pricing",
      { inputPerMTok: 1, outputPerMTok: 10 },
      { model: "model may hold letters, digits and . _ : / @ -" },
    ],
  ] as const)("%s %s", async (method, path, body, fields) => {
    const response = await api.call(method, path, body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(invalid(fields));
  });

  it("an MCP gateway rule that counts tokens names the rule's metric", async () => {
    const response = await api.call("PUT", `/api/admin/limits/user/${id}/rules`, {
      rules: [rule, { ...rule, surface: "mcp_gateway", metric: "tokens" }],
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      invalid({ "rules.1.metric": "MCP gateway rules count tool calls (requests); tool calls have no tokens" }),
    );
  });

  it("a provider rule on the MCP surface names the rule's surface", async () => {
    const response = await api.call("PUT", `/api/admin/limits/provider/${id}/rules`, {
      rules: [{ ...rule, surface: "mcp_gateway" }],
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(invalid({ "rules.0.surface": "provider rules apply to the AI gateway only (ai_gateway)" }));
  });
});

describe("model prices", () => {
  it("ships a default table, takes an override, and goes back to the default", async () => {
    type Pricing = { model: string; source: string; inputPerMTok: number; outputMultiplier: number };
    const list = await api.call<{ models: Pricing[] }>("GET", "/api/admin/model-pricing");
    expect(list.body.models.find((m) => m.model === "gpt-4o")).toEqual({
      model: "gpt-4o",
      inputPerMTok: 2.5,
      outputPerMTok: 10,
      cachedInputPerMTok: 1.25,
      inputMultiplier: 1,
      outputMultiplier: 1,
      source: "default",
    });
    expect(list.body.models.map((m) => m.model)).toEqual(
      expect.arrayContaining(["claude-sonnet-4", "gemini-2.5-pro", "gpt-4o-mini"]),
    );
    const set = await api.call("PUT", "/api/admin/models/gpt-4o/pricing", {
      inputPerMTok: 3,
      outputPerMTok: 12,
      outputMultiplier: 4,
    });
    expect(set.body).toEqual({
      pricing: {
        model: "gpt-4o",
        inputPerMTok: 3,
        outputPerMTok: 12,
        cachedInputPerMTok: null,
        inputMultiplier: 1,
        outputMultiplier: 4,
        source: "override",
      },
    });
    const reset = await api.call<{ pricing: Pricing }>("DELETE", "/api/admin/models/gpt-4o/pricing");
    expect(reset.body.pricing).toMatchObject({ model: "gpt-4o", inputPerMTok: 2.5, source: "default" });
    const again = await api.call("DELETE", "/api/admin/models/gpt-4o/pricing");
    expect(again.status).toBe(404);
    expect(again.body).toEqual({
      error: { code: "not_found", message: "the model 'gpt-4o' already uses its default price", requestId },
    });
  });
});
