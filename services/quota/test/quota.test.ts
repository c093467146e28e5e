import { randomUUID } from "node:crypto";
import { type Bus, connectBus, openConfigStore } from "@thinkwatch/bus";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import { createLogger } from "@thinkwatch/log";
import {
  CONFIG_KEYS,
  QuotaBudgetsSet,
  QuotaCheck,
  QuotaCheckBatch,
  QuotaRulesList,
  QuotaRulesSet,
  QuotaSubjectsList,
  QuotaUsage,
} from "@thinkwatch/proto";
import { createTestEnvironment, freePort, type TestEnvironment, waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quotaService } from "../src/service.js";

let testEnv: TestEnvironment;
let fleets: Fleet[] = [];
let bus: Bus;

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  // Two replicas: limits must hold across them (shared counters in Redis, rules broadcast to both caches).
  for (let i = 0; i < 2; i++) {
    fleets.push(await startFleet({ services: [quotaService], env: { ...testEnv.env, HEALTH_PORT: String(await freePort()) } }));
  }
  bus = await connectBus({
    url: testEnv.env.NATS_URL as string,
    namespace: testEnv.id,
    name: "test",
    log: createLogger({ service: "test", level: "silent" }),
  });
});

afterAll(async () => {
  await bus?.close(1000);
  for (const fleet of fleets) await fleet.stop("test done");
  fleets = [];
  await testEnv?.cleanup();
});

const rpm = (limit: number) => ({ surface: "ai_gateway" as const, metric: "requests" as const, windowSeconds: 60, limit });

describe("quota over NATS", () => {
  it("allows everything for a subject without rules", async () => {
    const reply = await bus.request(QuotaCheck, {
      surface: "ai_gateway",
      subjects: [{ kind: "api_key", id: randomUUID() }],
      requestId: "r1",
    });
    expect(reply).toEqual({ allowed: true });
  });

  it("enforces a per-key requests-per-minute rule exactly, across two replicas", async () => {
    const key = { kind: "api_key" as const, id: randomUUID() };
    await bus.request(QuotaRulesSet, { subject: key, rules: [rpm(5)] });
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        bus.request(QuotaCheck, { surface: "ai_gateway", subjects: [key], requestId: `r${i}` }),
      ),
    );
    expect(replies.filter((r) => r.allowed)).toHaveLength(5);
    const refused = replies.find((r) => !r.allowed);
    expect(refused?.rejectedBy).toMatchObject({ label: "api_key:requests/1m", limit: 5, windowSeconds: 60, kind: "rule" });
    expect(refused?.rejectedBy?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused?.rejectedBy?.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("is all-or-nothing: a request refused by one subject's rule is not counted against the others", async () => {
    const key = { kind: "api_key" as const, id: randomUUID() };
    const user = { kind: "user" as const, id: randomUUID() };
    await bus.request(QuotaRulesSet, { subject: key, rules: [rpm(1)] });
    await bus.request(QuotaRulesSet, { subject: user, rules: [rpm(2)] });
    const check = () => bus.request(QuotaCheck, { surface: "ai_gateway", subjects: [key, user], requestId: "x" });
    expect((await check()).allowed).toBe(true);
    const second = await check();
    expect(second).toMatchObject({ allowed: false, rejectedBy: { label: "api_key:requests/1m" } });
    // The user's budget still has one request left, because the refused request did not count.
    const userOnly = await bus.request(QuotaCheck, { surface: "ai_gateway", subjects: [user], requestId: "y" });
    expect(userOnly.allowed).toBe(true);
  });

  it("applies a rule change at once on every replica", async () => {
    const key = { kind: "api_key" as const, id: randomUUID() };
    const check = () => bus.request(QuotaCheck, { surface: "ai_gateway", subjects: [key], requestId: "z" });
    // Warm both replicas' caches with "no rules".
    for (let i = 0; i < 6; i++) expect((await check()).allowed).toBe(true);
    await bus.request(QuotaRulesSet, { subject: key, rules: [rpm(6)] });
    // Six requests were already counted? No: with no rules nothing is counted, so six more are allowed.
    const replies = [];
    for (let i = 0; i < 8; i++) replies.push(await check());
    expect(replies.filter((r) => r.allowed)).toHaveLength(6);
  });

  it("ignores rules of another surface and rules that are disabled", async () => {
    const key = { kind: "api_key" as const, id: randomUUID() };
    await bus.request(QuotaRulesSet, {
      subject: key,
      rules: [
        { surface: "mcp_gateway", metric: "requests", windowSeconds: 60, limit: 0 },
        { ...rpm(0), windowSeconds: 300, enabled: false },
      ],
    });
    expect((await bus.request(QuotaCheck, { surface: "ai_gateway", subjects: [key], requestId: "a" })).allowed).toBe(true);
    expect((await bus.request(QuotaCheck, { surface: "mcp_gateway", subjects: [key], requestId: "b" })).allowed).toBe(false);
  });

  it("stores rules and rejects duplicates with a clear error", async () => {
    const key = { kind: "api_key" as const, id: randomUUID() };
    await bus.request(QuotaRulesSet, { subject: key, rules: [rpm(10), { ...rpm(100), windowSeconds: 3600 }] });
    const listed = await bus.request(QuotaRulesList, { subject: key });
    expect(listed.rules).toEqual([
      { ...rpm(10), enabled: true, expiresAt: null, reason: null },
      { ...rpm(100), windowSeconds: 3600, enabled: true, expiresAt: null, reason: null },
    ]);
    await expect(bus.request(QuotaRulesSet, { subject: key, rules: [rpm(1), rpm(2)] })).rejects.toMatchObject({
      code: "validation_failed",
      message: "invalid request: rules.1: two rules for ai_gateway/requests/60; keep one rule per surface, metric and window",
      details: { fields: { "rules.1": "two rules for ai_gateway/requests/60; keep one rule per surface, metric and window" } },
    });
    // A window the 60-bucket counter does not support is refused by the service itself (sent raw, past the client's check).
    const raw = await bus.nc.request(
      bus.subject(QuotaRulesSet.subject),
      new TextEncoder().encode(JSON.stringify({ subject: key, rules: [{ ...rpm(1), windowSeconds: 61 }] })),
    );
    expect(raw.headers?.get("Tw-Error")).toBe("validation_failed");
  });
});

describe("rules with expiry, budgets, the rule index", () => {
  it("an expired rule no longer applies", async () => {
    const key = { kind: "api_key" as const, id: randomUUID() };
    await bus.request(QuotaRulesSet, {
      subject: key,
      rules: [{ ...rpm(0), expiresAt: Date.now() - 1000, reason: "was a temporary block" }],
    });
    expect((await bus.request(QuotaCheck, { surface: "ai_gateway", subjects: [key], requestId: "e" })).allowed).toBe(true);
  });

  it("refuses limits a subject kind cannot have, naming the field", async () => {
    const server = { kind: "mcp_server" as const, id: randomUUID() };
    await expect(
      bus.request(QuotaBudgetsSet, { subject: server, budgets: [{ period: "daily", unit: "tokens", limit: 10 }] }),
    ).rejects.toMatchObject({
      code: "validation_failed",
      details: { fields: { budgets: "MCP servers have no token cost, so they take rate limits, not budgets" } },
    });
    const provider = { kind: "provider" as const, id: randomUUID() };
    await expect(
      bus.request(QuotaRulesSet, { subject: provider, rules: [{ ...rpm(5), surface: "mcp_gateway" }] }),
    ).rejects.toMatchObject({
      details: { fields: { "rules.0.surface": "provider rules apply to the AI gateway only (ai_gateway)" } },
    });
  });

  it("publishes which subjects have limits to the config KV, per surface, and which AI ones count tokens or USD", async () => {
    const user = { kind: "user" as const, id: randomUUID() };
    const server = { kind: "mcp_server" as const, id: randomUUID() };
    const counted = { kind: "api_key" as const, id: randomUUID() };
    const tokens = { kind: "team" as const, id: randomUUID() };
    await bus.request(QuotaBudgetsSet, { subject: user, budgets: [{ period: "monthly", unit: "usd", limit: 20 }] });
    await bus.request(QuotaRulesSet, { subject: server, rules: [{ ...rpm(5), surface: "mcp_gateway" }] });
    await bus.request(QuotaRulesSet, { subject: counted, rules: [rpm(5)] });
    await bus.request(QuotaRulesSet, { subject: tokens, rules: [rpm(5), { ...rpm(1000), metric: "tokens" }] });
    const store = await openConfigStore(bus, createLogger({ service: "test", level: "silent" }));
    const index = await waitFor(async () => {
      const found = await store.get(CONFIG_KEYS.quotaIndex);
      const all = [`user:${user.id}`, `api_key:${counted.id}`, `team:${tokens.id}`];
      return all.every((key) => found?.ai.includes(key)) && found?.mcp.includes(`mcp_server:${server.id}`) ? found : null;
    });
    expect(index.ai).not.toContain(`mcp_server:${server.id}`);
    // A budget or a token rule needs the request's estimate reserved; a request-count rule does not.
    expect(index.aiMetered).toContain(`user:${user.id}`);
    expect(index.aiMetered).toContain(`team:${tokens.id}`);
    expect(index.aiMetered).not.toContain(`api_key:${counted.id}`);
    expect(index.aiMetered).not.toContain(`mcp_server:${server.id}`);
    const listed = await bus.request(QuotaSubjectsList, {});
    expect(listed.subjects).toContainEqual({ subject: user, rules: 0, budgets: 1 });
  });

  it("checks of one batch are answered in order", async () => {
    const key = { kind: "api_key" as const, id: randomUUID() };
    await bus.request(QuotaRulesSet, { subject: key, rules: [rpm(2)] });
    const { decisions } = await bus.request(QuotaCheckBatch, {
      checks: [1, 2, 3].map((n) => ({ surface: "ai_gateway" as const, subjects: [key], requestId: `b${n}` })),
    });
    expect(decisions.map((d) => d.allowed).sort()).toEqual([false, true, true]);
  });

  it("reports usage X / Y per rule and budget", async () => {
    const user = { kind: "user" as const, id: randomUUID() };
    await bus.request(QuotaRulesSet, { subject: user, rules: [rpm(10)] });
    await bus.request(QuotaBudgetsSet, { subject: user, budgets: [{ period: "daily", unit: "tokens", limit: 1000 }] });
    await bus.request(QuotaCheck, {
      surface: "ai_gateway",
      subjects: [user],
      requestId: "u",
      reservation: { id: randomUUID(), weightedTokens: 300, usd: 0 },
    });
    const { subjects } = await bus.request(QuotaUsage, { subjects: [user] });
    expect(subjects[0]?.rules[0]).toMatchObject({ label: "user:requests/1m", used: 1, remaining: 9 });
    expect(subjects[0]?.budgets[0]).toMatchObject({ label: "user:budget/daily", used: 0, reserved: 300, remaining: 700 });
  });
});
