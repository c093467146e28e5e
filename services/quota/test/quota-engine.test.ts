/**
 * The quota engine against the real Redis with a fake clock: window boundaries of every size, calendar resets (day,
 * ISO week, month, a time zone), soft caps, reservations, alerts once per period, idempotent settlement.
 */
import { randomUUID } from "node:crypto";
import type { BudgetCap, QuotaSubject, RateLimitRule } from "@thinkwatch/proto";
import { createRedis } from "@thinkwatch/redis";
import { seededRandom } from "@thinkwatch/testkit";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { calendarPeriod } from "../src/engine/calendar-period.js";
import { budgetKeys, windowKey } from "../src/engine/counter-keys.js";
import type { BudgetApplication, RuleApplication } from "../src/engine/labels.js";
import { createQuotaEngine, type QuotaEngine } from "../src/engine/quota-engine.js";

let redis: Redis;
let now = 0;
let engine: QuotaEngine;

beforeAll(() => {
  redis = createRedis({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", keyPrefix: `tw:engine-${randomUUID()}:` });
  engine = createQuotaEngine({ redis, clock: () => now, reservationTtlMs: 60_000, markerTtlMs: 3_600_000 });
});

afterAll(() => {
  redis.disconnect();
});

const subject = (kind: QuotaSubject["kind"] = "user"): QuotaSubject => ({ kind, id: randomUUID() });
const rule = (windowSeconds: number, limit: number, metric: "requests" | "tokens" = "requests"): RateLimitRule => ({
  surface: "ai_gateway",
  metric,
  windowSeconds,
  limit,
  enabled: true,
  expiresAt: null,
  reason: null,
});
const budget = (period: BudgetCap["period"], limit: number, unit: BudgetCap["unit"] = "tokens", timezone = "UTC"): BudgetCap => ({
  period,
  unit,
  limit,
  timezone,
  enabled: true,
  expiresAt: null,
  reason: null,
});

const WINDOWS = [
  [60, "1m"],
  [300, "5m"],
  [3600, "1h"],
  [18000, "5h"],
  [86400, "1d"],
  [604800, "1w"],
] as const;

describe("sliding windows (60 buckets)", () => {
  it.each(WINDOWS)("a %is window holds its limit and frees a bucket exactly one window later", async (windowSeconds, label) => {
    const windowMs = windowSeconds * 1000;
    const bucketMs = windowMs / 60;
    // Start on a bucket boundary, so "one window later" is exactly when the first bucket leaves.
    now = Math.ceil(Date.UTC(2026, 0, 5) / windowMs) * windowMs;
    const applications: RuleApplication[] = [{ subject: subject("api_key"), rule: rule(windowSeconds, 3) }];
    for (let i = 0; i < 3; i++) expect((await engine.check({ rules: applications, budgets: [] })).allowed).toBe(true);
    now += bucketMs; // a later bucket, same window
    const refused = await engine.check({ rules: applications, budgets: [] });
    expect(refused).toEqual({
      allowed: false,
      rejectedBy: {
        label: `api_key:requests/${label}`,
        limit: 3,
        windowSeconds,
        // The three requests sit in the first bucket, which leaves the window one window after it began.
        retryAfterSeconds: Math.ceil((windowMs - bucketMs) / 1000),
        kind: "rule",
      },
    });
    now += windowMs - bucketMs - 1; // one millisecond before the first bucket slides out
    expect((await engine.check({ rules: applications, budgets: [] })).allowed).toBe(false);
    now += 1;
    const admitted = await engine.check({ rules: applications, budgets: [] });
    expect(admitted).toEqual({
      allowed: true,
      tightest: { label: `api_key:requests/${label}`, limit: 3, remaining: 2, resetSeconds: windowSeconds },
    });
  });

  it("is all-or-nothing across subjects, and a refused request counts nowhere", async () => {
    now = Date.UTC(2026, 1, 1, 12);
    const key: RuleApplication = { subject: subject("api_key"), rule: rule(60, 1) };
    const user: RuleApplication = { subject: subject("user"), rule: rule(60, 2) };
    expect((await engine.check({ rules: [user, key], budgets: [] })).allowed).toBe(true);
    expect((await engine.check({ rules: [user, key], budgets: [] })).rejectedBy?.label).toBe("api_key:requests/1m");
    const usage = await engine.usage([user, key], []);
    expect(usage.rules.map((r) => [r.label, r.used])).toEqual([
      ["user:requests/1m", 1],
      ["api_key:requests/1m", 1],
    ]);
  });

  it("token rules are soft: checked pre-flight, counted post-flight, one request may overshoot", async () => {
    now = Date.UTC(2026, 1, 2, 12);
    const tokens: RuleApplication = { subject: subject("user"), rule: rule(86400, 1000, "tokens") };
    expect((await engine.check({ rules: [tokens], budgets: [] })).allowed).toBe(true);
    await engine.settle({ eventId: randomUUID(), rules: [tokens], budgets: [], weightedTokens: 900, usd: 0 });
    expect((await engine.check({ rules: [tokens], budgets: [] })).allowed).toBe(true);
    await engine.settle({ eventId: randomUUID(), rules: [tokens], budgets: [], weightedTokens: 700, usd: 0 });
    const refused = await engine.check({ rules: [tokens], budgets: [] });
    expect(refused.rejectedBy).toMatchObject({ label: "user:tokens/1d", limit: 1000 });
    expect((await engine.usage([tokens], [])).rules[0]).toMatchObject({ used: 1600, remaining: 0 });
  });
});

describe("a window's running total (s) and oldest bucket (lo)", () => {
  /** The hash's bucket fields (numbers), without its running total and oldest bucket. */
  const bucketsOf = async (application: RuleApplication) => {
    const fields = await redis.hgetall(windowKey(application));
    return Object.entries(fields).filter(([field]) => /^\d+$/.test(field));
  };

  it("stay exact against a model over random traffic: buckets leaving one by one, idle gaps, a clock stepping back", async () => {
    const windowSeconds = 60;
    const bucketMs = 1000;
    const random = seededRandom(20261130);
    now = Date.UTC(2026, 2, 3, 12);
    const requests: RuleApplication = { subject: subject("api_key"), rule: rule(windowSeconds, 1_000_000) };
    const tokens: RuleApplication = { subject: subject("api_key"), rule: rule(windowSeconds, 1_000_000_000, "tokens") };
    const model: Array<{ bucket: number; requests: number; tokens: number }> = [];
    const inWindow = () => model.filter((entry) => entry.bucket > Math.floor(now / bucketMs) - 60);
    for (let step = 0; step < 600; step++) {
      const roll = random();
      // Mostly small steps inside the window; now and then a gap of one to three windows, or the clock stepping back
      // a few seconds (an adjusted clock): a bucket below the oldest one recorded must still leave the window in time.
      if (roll < 0.03) now += Math.floor((1 + random() * 2) * windowSeconds * 1000);
      else if (roll < 0.08) now -= Math.floor(random() * 5000);
      else now += Math.floor(random() * 2500);
      const bucket = Math.floor(now / bucketMs);
      const decision = await engine.check({ rules: [requests, tokens], budgets: [] });
      expect(decision.allowed).toBe(true);
      const before = inWindow();
      // A check drops the buckets that left the window for good: a clock stepping back later does not revive them.
      for (const gone of model.filter((entry) => !before.includes(entry))) model.splice(model.indexOf(gone), 1);
      const usedRequests = before.reduce((total, entry) => total + entry.requests, 0);
      const usedTokens = before.reduce((total, entry) => total + entry.tokens, 0);
      // The admitted check reports the tighter of the two windows, by share of its limit.
      const expectedRequestsRemaining = 1_000_000 - usedRequests - 1;
      const expectedTokensRemaining = 1_000_000_000 - usedTokens;
      const tightestIsRequests = expectedRequestsRemaining / 1_000_000 <= expectedTokensRemaining / 1_000_000_000;
      expect(decision.tightest).toMatchObject(
        tightestIsRequests
          ? { label: "api_key:requests/1m", remaining: expectedRequestsRemaining }
          : { label: "api_key:tokens/1m", remaining: expectedTokensRemaining },
      );
      const entry = model.find((each) => each.bucket === bucket) ?? { bucket, requests: 0, tokens: 0 };
      if (!model.includes(entry)) model.push(entry);
      entry.requests += 1;
      if (random() < 0.7) {
        const amount = 1 + Math.floor(random() * 5000);
        await engine.settle({ eventId: randomUUID(), rules: [tokens], budgets: [], weightedTokens: amount, usd: 0 });
        entry.tokens += amount;
      }
      if (step % 50 === 0) {
        // usage() reports the buckets up to now (after a clock step back, those ahead of it are not shown yet).
        const shown = inWindow().filter((each) => each.bucket <= bucket);
        const first = Math.min(...shown.map((each) => each.bucket));
        const resetSeconds = Math.ceil(((first + 60) * bucketMs - now) / 1000);
        const usage = await engine.usage([requests], []);
        expect(usage.rules[0]).toMatchObject({
          used: shown.reduce((total, each) => total + each.requests, 0),
          resetSeconds,
        });
      }
    }
    // The stored total is the sum of the bucket fields present, and no bucket older than the window survives a check.
    await engine.check({ rules: [requests], budgets: [] });
    const buckets = await bucketsOf(requests);
    const stored = await redis.hmget(windowKey(requests), "s", "lo");
    expect(Number(stored[0])).toBe(buckets.reduce((total, [, value]) => total + Number(value), 0));
    expect(Math.min(...buckets.map(([field]) => Number(field)))).toBe(Number(stored[1]));
    for (const [field] of buckets) expect(Number(field)).toBeGreaterThan(Math.floor(now / bucketMs) - 60);
  });

  it("a window holding buckets only (no s/lo: written before them, or the fields lost) is rebuilt from its buckets", async () => {
    now = Date.UTC(2026, 2, 4, 12);
    const limited: RuleApplication = { subject: subject("user"), rule: rule(60, 10) };
    const key = windowKey(limited);
    const bucket = Math.floor(now / 1000);
    // Four requests in the window, and one bucket that left it long ago.
    await redis.hset(key, String(bucket - 3), "3", String(bucket - 1), "1", String(bucket - 200), "50");
    expect(await engine.check({ rules: [limited], budgets: [] })).toMatchObject({
      allowed: true,
      tightest: { remaining: 5, resetSeconds: 57 },
    });
    expect(await redis.hget(key, String(bucket - 200))).toBeNull();
    expect(await redis.hmget(key, "s", "lo")).toEqual(["5", String(bucket - 3)]);
    // Losing the total again (a partial restore) costs one rebuild, not a wrong answer.
    await redis.hdel(key, "s");
    const admitted = await Promise.all(Array.from({ length: 6 }, () => engine.check({ rules: [limited], budgets: [] })));
    expect(admitted.map((decision) => decision.allowed)).toEqual([true, true, true, true, true, false]);
  });

  it("a request counted after the clock stepped back below the oldest bucket still leaves the window in time", async () => {
    const start = Date.UTC(2026, 2, 6, 12);
    const limited: RuleApplication = { subject: subject("user"), rule: rule(60, 10) };
    const remaining = async () => (await engine.check({ rules: [limited], budgets: [] })).tightest?.remaining;
    now = start;
    expect(await remaining()).toBe(9);
    now = start - 3000; // an adjusted clock: this request lands three buckets below the first one
    expect(await remaining()).toBe(8);
    now = start - 3000 + 60_000; // the stepped-back request has left; the first is still in
    expect(await remaining()).toBe(8);
    now = start + 60_000; // the first has left too
    expect(await remaining()).toBe(8);
  });

  it("tokens settled after the clock stepped back below the oldest bucket still leave the window in time", async () => {
    const start = Date.UTC(2026, 2, 7, 12);
    const tokens: RuleApplication = { subject: subject("user"), rule: rule(60, 1000, "tokens") };
    const remaining = async () => (await engine.check({ rules: [tokens], budgets: [] })).tightest?.remaining;
    const settle = (weightedTokens: number) =>
      engine.settle({ eventId: randomUUID(), rules: [tokens], budgets: [], weightedTokens, usd: 0 });
    now = start;
    await settle(100);
    expect(await remaining()).toBe(900);
    now = start - 3000;
    await settle(50);
    expect(await remaining()).toBe(850);
    now = start - 3000 + 60_000; // the 50 have left; the 100 are still in
    expect(await remaining()).toBe(900);
    now = start + 60_000;
    expect(await remaining()).toBe(1000);
  });

  it("a check refused by a later window keeps the totals of the earlier windows whose old buckets it dropped", async () => {
    const start = Date.UTC(2026, 2, 8, 12);
    const roomy: RuleApplication = { subject: subject("api_key"), rule: rule(60, 100) };
    const tight: RuleApplication = { subject: subject("user"), rule: rule(60, 1) };
    now = start;
    await engine.check({ rules: [roomy], budgets: [] });
    now = start + 60_500;
    await engine.check({ rules: [tight], budgets: [] });
    now = start + 61_000; // roomy's first bucket has left; tight is full
    expect((await engine.check({ rules: [roomy, tight], budgets: [] })).rejectedBy?.label).toBe("user:requests/1m");
    const buckets = Object.entries(await redis.hgetall(windowKey(roomy))).filter(([field]) => /^\d+$/.test(field));
    expect(buckets).toEqual([]);
    expect(await redis.hget(windowKey(roomy), "s")).toBe("0");
    now = start + 62_000;
    expect((await engine.check({ rules: [roomy], budgets: [] })).tightest?.remaining).toBe(99);
  });

  it("a check refused by a budget keeps the totals of the windows whose old buckets it dropped", async () => {
    const start = Date.UTC(2026, 2, 9, 12);
    const roomy: RuleApplication = { subject: subject("api_key"), rule: rule(60, 100) };
    const cap: BudgetApplication = { subject: subject("user"), budget: budget("monthly", 1, "usd") };
    now = start;
    await engine.check({ rules: [roomy], budgets: [] });
    await engine.settle({ eventId: randomUUID(), rules: [], budgets: [cap], weightedTokens: 0, usd: 2 });
    now = start + 61_000; // roomy's first bucket has left; the budget is spent
    expect((await engine.check({ rules: [roomy], budgets: [cap] })).rejectedBy?.kind).toBe("budget");
    expect(await redis.hget(windowKey(roomy), "s")).toBe("0");
    now = start + 62_000;
    expect((await engine.check({ rules: [roomy], budgets: [] })).tightest?.remaining).toBe(99);
  });

  it("a refused check keeps the buckets it dropped out of the total", async () => {
    now = Date.UTC(2026, 2, 5, 12);
    const limited: RuleApplication = { subject: subject("user"), rule: rule(60, 2) };
    await engine.check({ rules: [limited], budgets: [] });
    now += 30_000;
    await engine.check({ rules: [limited], budgets: [] });
    now += 31_000; // the first request left the window; the second is still in it
    expect((await engine.check({ rules: [limited], budgets: [] })).allowed).toBe(true);
    expect((await engine.check({ rules: [limited], budgets: [] })).rejectedBy).toMatchObject({ retryAfterSeconds: 29 });
    expect(await redis.hget(windowKey(limited), "s")).toBe("2");
  });
});

describe("calendar periods", () => {
  it.each([
    ["daily", "UTC", Date.UTC(2026, 2, 10, 23, 59, 59, 999), "2026-03-10", Date.UTC(2026, 2, 11)],
    ["weekly", "UTC", Date.UTC(2026, 0, 4, 23, 59), "2026-W01", Date.UTC(2026, 0, 5)],
    ["weekly", "UTC", Date.UTC(2024, 11, 30, 10), "2025-W01", Date.UTC(2025, 0, 6)],
    ["monthly", "UTC", Date.UTC(2026, 1, 28, 23), "2026-02", Date.UTC(2026, 2, 1)],
    ["daily", "America/New_York", Date.UTC(2026, 2, 11, 3, 59), "2026-03-10", Date.UTC(2026, 2, 11, 4)],
    ["monthly", "Asia/Tokyo", Date.UTC(2026, 3, 30, 14, 59), "2026-04", Date.UTC(2026, 3, 30, 15)],
  ] as const)("%s in %s at %d is %s and ends at %d", (period, zone, at, id, end) => {
    const found = calendarPeriod(period, zone, at);
    expect(found.id).toBe(id);
    expect(found.endMs).toBe(end);
    expect(calendarPeriod(period, zone, end).startMs).toBe(end);
  });

  it.each([
    ["daily", Date.UTC(2026, 4, 20, 23, 59, 59), Date.UTC(2026, 4, 21)],
    ["weekly", Date.UTC(2026, 4, 24, 23, 59, 59), Date.UTC(2026, 4, 25)], // Sunday → Monday
    ["monthly", Date.UTC(2026, 4, 31, 23, 59, 59), Date.UTC(2026, 5, 1)],
  ] as const)("a %s budget refuses when spent and starts from zero at the boundary", async (period, before, boundary) => {
    now = before - 3600_000;
    const cap: BudgetApplication = { subject: subject("team"), budget: budget(period, 100) };
    await engine.settle({ eventId: randomUUID(), rules: [], budgets: [cap], weightedTokens: 100, usd: 0 });
    now = before;
    const refused = await engine.check({ rules: [], budgets: [cap] });
    expect(refused.rejectedBy).toMatchObject({
      label: `team:budget/${period}`,
      kind: "budget",
      retryAfterSeconds: Math.ceil((boundary - before) / 1000),
    });
    now = boundary;
    expect((await engine.check({ rules: [], budgets: [cap] })).allowed).toBe(true);
  });

  it("a budget in a time zone resets at that zone's midnight, not UTC's", async () => {
    const cap: BudgetApplication = { subject: subject("user"), budget: budget("daily", 10, "tokens", "Europe/Berlin") };
    now = Date.UTC(2026, 6, 1, 12); // 14:00 in Berlin (CEST, UTC+2)
    await engine.settle({ eventId: randomUUID(), rules: [], budgets: [cap], weightedTokens: 10, usd: 0 });
    now = Date.UTC(2026, 6, 1, 21, 59); // 23:59 Berlin: still the same day
    expect((await engine.check({ rules: [], budgets: [cap] })).allowed).toBe(false);
    now = Date.UTC(2026, 6, 1, 22, 0); // midnight Berlin, 22:00 UTC
    expect((await engine.check({ rules: [], budgets: [cap] })).allowed).toBe(true);
  });
});

describe("budgets", () => {
  it("soft cap: the request that crosses the cap is counted in full, the next one is refused", async () => {
    now = Date.UTC(2026, 7, 3, 9);
    const cap: BudgetApplication = { subject: subject("user"), budget: budget("monthly", 2, "usd") };
    expect((await engine.check({ rules: [], budgets: [cap] })).allowed).toBe(true);
    await engine.settle({ eventId: randomUUID(), rules: [], budgets: [cap], weightedTokens: 0, usd: 1.5 });
    expect((await engine.check({ rules: [], budgets: [cap] })).allowed).toBe(true);
    await engine.settle({ eventId: randomUUID(), rules: [], budgets: [cap], weightedTokens: 0, usd: 1.5 });
    const refused = await engine.check({ rules: [], budgets: [cap] });
    expect(refused.rejectedBy).toMatchObject({ label: "user:budget/monthly_usd", limit: 2, kind: "budget" });
    expect((await engine.usage([], [cap])).budgets[0]).toMatchObject({ used: 3, reserved: 0, remaining: 0 });
  });

  it("reservations: concurrent admissions hold their estimate, so room for 5 admits exactly 5", async () => {
    now = Date.UTC(2026, 7, 4, 9);
    const cap: BudgetApplication = { subject: subject("api_key"), budget: budget("daily", 500) };
    const decisions = await Promise.all(
      Array.from({ length: 50 }, () =>
        engine.check({ rules: [], budgets: [cap], reservation: { id: randomUUID(), weightedTokens: 100, usd: 0 } }),
      ),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect((await engine.usage([], [cap])).budgets[0]).toMatchObject({ used: 0, reserved: 500, remaining: 0 });
  });

  it("settlement replaces the reservation by the real cost; an unsettled reservation expires", async () => {
    now = Date.UTC(2026, 7, 5, 9);
    const cap: BudgetApplication = { subject: subject("user"), budget: budget("daily", 1000) };
    const settled = randomUUID();
    const lost = randomUUID();
    await engine.check({ rules: [], budgets: [cap], reservation: { id: settled, weightedTokens: 300, usd: 0 } });
    await engine.check({ rules: [], budgets: [cap], reservation: { id: lost, weightedTokens: 400, usd: 0 } });
    expect((await engine.usage([], [cap])).budgets[0]).toMatchObject({ used: 0, reserved: 700 });
    await engine.settle({ eventId: settled, rules: [], budgets: [cap], weightedTokens: 120, usd: 0 });
    expect((await engine.usage([], [cap])).budgets[0]).toMatchObject({ used: 120, reserved: 400 });
    now += 60_001; // the reservation TTL of this engine is one minute
    await engine.check({ rules: [], budgets: [cap] });
    expect((await engine.usage([], [cap])).budgets[0]).toMatchObject({ used: 120, reserved: 0, remaining: 880 });
  });

  it("settlement is idempotent per event id", async () => {
    now = Date.UTC(2026, 7, 6, 9);
    const cap: BudgetApplication = { subject: subject("user"), budget: budget("daily", 1000) };
    const tokens: RuleApplication = { subject: cap.subject, rule: rule(3600, 10_000, "tokens") };
    const eventId = randomUUID();
    const first = await engine.settle({ eventId, rules: [tokens], budgets: [cap], weightedTokens: 250, usd: 0 });
    const again = await engine.settle({ eventId, rules: [tokens], budgets: [cap], weightedTokens: 250, usd: 0 });
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ duplicate: true, alerts: [] });
    const usage = await engine.usage([tokens], [cap]);
    expect(usage.rules[0]?.used).toBe(250);
    expect(usage.budgets[0]?.used).toBe(250);
  });

  it("settles a batch in one write, each settlement exact and idempotent, a duplicate inside it counted once", async () => {
    now = Date.UTC(2026, 7, 7, 9);
    const cap: BudgetApplication = { subject: subject("user"), budget: budget("daily", 5000) };
    const tokens: RuleApplication = { subject: cap.subject, rule: rule(3600, 100_000, "tokens") };
    const ids = Array.from({ length: 30 }, () => randomUUID());
    // The whole batch is one EVALSHA of the batch script: one command, one script run on the server.
    const evalsha = vi.spyOn(redis, "evalsha");
    const evals = vi.spyOn(redis, "eval");
    let results: Awaited<ReturnType<typeof engine.settleMany>>;
    try {
      results = await engine.settleMany(
        [...ids, ids[0] as string].map((eventId) => ({ eventId, rules: [tokens], budgets: [cap], weightedTokens: 100, usd: 0 })),
      );
      expect(evalsha).toHaveBeenCalledTimes(1);
      // Sent in full only when the server did not have the script cached.
      expect(evals.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      evalsha.mockRestore();
      evals.mockRestore();
    }
    expect(results.filter((r) => !(r instanceof Error) && !r.duplicate)).toHaveLength(30);
    expect(results[30]).toEqual({ duplicate: true, alerts: [] });
    // 3,000 of 5,000: the 50 % alert fired once, for the settlement that crossed it.
    expect(results.flatMap((r) => (r instanceof Error ? [] : r.alerts.map((a) => a.thresholdPct)))).toEqual([50]);
    const usage = await engine.usage([tokens], [cap]);
    expect(usage.rules[0]?.used).toBe(3000);
    expect(usage.budgets[0]?.used).toBe(3000);
    // Settling the same batch again counts nothing.
    const again = await engine.settleMany(
      ids.map((eventId) => ({ eventId, rules: [tokens], budgets: [cap], weightedTokens: 100, usd: 0 })),
    );
    expect(again.every((r) => !(r instanceof Error) && r.duplicate)).toBe(true);
    expect((await engine.usage([tokens], [cap])).budgets[0]?.used).toBe(3000);
  });

  it("alerts fire once per threshold per period: 60 % → 101 % fires 80, 95 and 100 together", async () => {
    now = Date.UTC(2026, 8, 1, 9);
    const cap: BudgetApplication = { subject: subject("team"), budget: budget("monthly", 1000) };
    const settle = async (weightedTokens: number) =>
      (await engine.settle({ eventId: randomUUID(), rules: [], budgets: [cap], weightedTokens, usd: 0 })).alerts.map(
        (a) => a.thresholdPct,
      );
    expect(await settle(600)).toEqual([50]);
    expect(await settle(410)).toEqual([80, 95, 100]);
    expect(await settle(10)).toEqual([]);
    now = Date.UTC(2026, 9, 1, 0); // next month: a new period, thresholds armed again
    expect(await settle(500)).toEqual([50]);
  });
});

describe("batched checks (one script run per batch)", () => {
  it("stay exact and atomic: two concurrent batches of 40 against room for 25 admit exactly 25, one write each", async () => {
    now = Date.UTC(2026, 7, 10, 9);
    const limit: RuleApplication = { subject: subject("api_key"), rule: rule(60, 25) };
    const cap: BudgetApplication = { subject: limit.subject, budget: budget("daily", 1_000_000) };
    // Each batch of 40 is two EVALSHAs of the batch script (32 + 8 checks, MAX_CALLS_PER_RUN), without ioredis's
    // Pipeline object (whose per-instance getter made every batch survive young-generation GCs).
    const evalsha = vi.spyOn(redis, "evalsha");
    const pipelines = vi.spyOn(redis, "pipeline");
    try {
      const batch = () =>
        engine.checkMany(
          Array.from({ length: 40 }, () => ({
            rules: [limit],
            budgets: [cap],
            reservation: { id: randomUUID(), weightedTokens: 10, usd: 0 },
          })),
        );
      const [first, second] = await Promise.all([batch(), batch()]);
      const decisions = [...(first ?? []), ...(second ?? [])];
      expect(decisions.filter((d) => !(d instanceof Error) && d.allowed)).toHaveLength(25);
      expect(decisions.filter((d) => !(d instanceof Error) && !d.allowed)).toHaveLength(55);
      expect(evalsha).toHaveBeenCalledTimes(4);
      expect(pipelines).not.toHaveBeenCalled();
    } finally {
      evalsha.mockRestore();
      pipelines.mockRestore();
    }
    // A refused check reserved nothing: only the 25 admitted hold their estimate.
    expect((await engine.usage([limit], [cap])).budgets[0]).toMatchObject({ reserved: 250 });
  });

  it("a check without limits is allowed without Redis; one that fails alone is its own error", async () => {
    now = Date.UTC(2026, 7, 11, 9);
    const limit: RuleApplication = { subject: subject("user"), rule: rule(60, 1) };
    // A window key holding a string makes that one script run fail (WRONGTYPE); the others are unaffected.
    const broken: RuleApplication = { subject: subject("user"), rule: rule(60, 5) };
    await redis.set(windowKey(broken), "not a hash");
    const decisions = await engine.checkMany([
      { rules: [], budgets: [] },
      { rules: [limit], budgets: [] },
      { rules: [broken], budgets: [] },
      { rules: [limit], budgets: [] },
    ]);
    expect(decisions[0]).toEqual({ allowed: true });
    expect(decisions[1]).toMatchObject({ allowed: true });
    expect(decisions[2]).toBeInstanceOf(Error);
    expect(decisions[3]).toMatchObject({ allowed: false, rejectedBy: { label: "user:requests/1m" } });
  });

  it("reloads the script when Redis lost it (SCRIPT FLUSH, a restart) and runs each check exactly once", async () => {
    now = Date.UTC(2026, 7, 12, 9);
    const limit: RuleApplication = { subject: subject("api_key"), rule: rule(60, 3) };
    await redis.script("FLUSH");
    const decisions = await engine.checkMany(Array.from({ length: 5 }, () => ({ rules: [limit], budgets: [] })));
    expect(decisions.map((d) => !(d instanceof Error) && d.allowed)).toEqual([true, true, true, false, false]);
    expect((await engine.usage([limit], [])).rules[0]).toMatchObject({ used: 3 });
  });
});

describe("expiry: every key the scripts write expires", () => {
  const DAY_MS = 86_400_000;
  /** The expiry of a key, in ms (-1: none, -2: no such key). */
  const pttl = (key: string) => redis.pttl(key);

  it("a window lives 61 buckets past its newest bucket, its expiry set when a bucket is new", async () => {
    now = Date.UTC(2026, 7, 20, 9, 0, 0);
    const requests: RuleApplication = { subject: subject("api_key"), rule: rule(60, 1000) };
    expect((await engine.check({ rules: [requests], budgets: [] })).allowed).toBe(true);
    const key = windowKey(requests);
    expect(await pttl(key)).toBeGreaterThan(60_000);
    expect(await pttl(key)).toBeLessThanOrEqual(61_000);
    // A later request in the same bucket leaves the expiry as it is; the next bucket sets it again.
    await redis.persist(key);
    await engine.check({ rules: [requests], budgets: [] });
    expect(await pttl(key)).toBe(-1);
    now += 1000;
    await engine.check({ rules: [requests], budgets: [] });
    expect(await pttl(key)).toBeGreaterThan(60_000);
  });

  it("a token window and a budget's totals made by a settlement expire", async () => {
    now = Date.UTC(2026, 7, 21, 9, 0, 0);
    const who = subject("user");
    const tokens: RuleApplication = { subject: who, rule: rule(3600, 1_000_000, "tokens") };
    const cap: BudgetApplication = { subject: who, budget: budget("daily", 1_000_000) };
    const period = calendarPeriod("daily", "UTC", now);
    const [totals] = budgetKeys(cap, period);
    await engine.settle({ eventId: randomUUID(), rules: [tokens], budgets: [cap], weightedTokens: 50, usd: 0 });
    expect(await pttl(windowKey(tokens))).toBeGreaterThan(3_600_000);
    const dayAfter = period.endMs - now + DAY_MS;
    expect(await pttl(totals)).toBeGreaterThan(dayAfter - 60_000);
    expect(await pttl(totals)).toBeLessThanOrEqual(dayAfter);
  });

  it("a budget's keys made by a check expire a day after the period, also when the reservations are made again", async () => {
    now = Date.UTC(2026, 7, 22, 9, 0, 0);
    const who = subject("team");
    const cap: BudgetApplication = { subject: who, budget: budget("daily", 1_000_000) };
    const tokens: RuleApplication = { subject: who, rule: rule(60, 1_000_000, "tokens") };
    const period = calendarPeriod("daily", "UTC", now);
    const keys = budgetKeys(cap, period);
    const dayAfter = period.endMs - now + DAY_MS;
    const expectExpiring = async () => {
      for (const key of keys) {
        const left = await pttl(key);
        expect(left, key).toBeGreaterThan(dayAfter - 60_000);
        expect(left, key).toBeLessThanOrEqual(dayAfter);
      }
    };
    const reserveAndSettle = async () => {
      const id = randomUUID();
      const decision = await engine.check({ rules: [tokens], budgets: [cap], reservation: { id, weightedTokens: 10, usd: 0 } });
      expect(decision.allowed).toBe(true);
      await expectExpiring();
      // The settlement releases the only reservation: the reservation hash and zset are empty, so Redis drops them.
      // (No token rules here: the token window below is one only the checks write.)
      await engine.settle({ eventId: id, rules: [], budgets: [cap], weightedTokens: 7, usd: 0 });
      expect(await pttl(keys[1])).toBe(-2);
      expect(await pttl(keys[2])).toBe(-2);
      expect(await pttl(keys[0])).toBeGreaterThan(dayAfter - 60_000);
    };
    await reserveAndSettle();
    // Made again by the next reservation: they expire again.
    await reserveAndSettle();
    // A token window only checks wrote (a check counts no tokens, it writes the window's total) expires too.
    expect(await pttl(windowKey(tokens))).toBeGreaterThan(60_000);
  });
});
