/**
 * Redis stopped under a running quota (a redis-server this test starts and stops itself): checks fail open by
 * default and fail closed (`rate_limiter_unavailable`) when `security.rateLimitFailClosed` says so — a setting read
 * from the config KV, applied without a restart; quota counts them on /metrics (gateway_rate_limiter_fail_open_total,
 * and gateway_budget_fail_open_total for those with a budget cap to enforce). Also: post-flight accounting counts a
 * redelivered event once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { type Bus, connectBus, ensureDurableConsumer, openConfigStore, publishEncodedEvent, publishEvent } from "@thinkwatch/bus";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import { createLogger } from "@thinkwatch/log";
import {
  type AuditRecord,
  CONFIG_KEYS,
  CONSUMERS,
  DEFAULT_SETTINGS,
  GatewayRequestCompleted,
  type GatewayRequestEvent,
  QuotaBudgetsSet,
  QuotaCheck,
  QuotaCheckBatch,
  QuotaRulesSet,
  QuotaUsage,
  STREAMS,
} from "@thinkwatch/proto";
import { createTestEnvironment, freePort, type TestEnvironment, waitFor } from "@thinkwatch/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BudgetThresholdCrossed } from "../src/accounting/budget-alerts.js";
import { quotaService } from "../src/service.js";

let testEnv: TestEnvironment;
let fleet: Fleet;
let bus: Bus;
let redisProcess: ChildProcess | null = null;
let redisPort: number;
let healthPort: number;
const METRICS_TOKEN = "fail-policy-test-token";
const log = createLogger({ service: "test", level: "silent" });

async function startRedis(): Promise<void> {
  redisProcess = spawn("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  await waitFor(async () => {
    const probe = new Redis({ port: redisPort, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused connections are expected until the server listens; connect() rejects and waitFor retries.
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === "PONG";
    } finally {
      probe.disconnect();
    }
  });
}

async function stopRedis(): Promise<void> {
  const child = redisProcess;
  if (child === null || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  redisProcess = null;
}

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  redisPort = await freePort();
  await startRedis();
  healthPort = await freePort();
  fleet = await startFleet({
    services: [quotaService],
    env: {
      ...testEnv.env,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      HEALTH_PORT: String(healthPort),
      METRICS_BEARER_TOKEN: METRICS_TOKEN,
    },
  });
  bus = await connectBus({ url: testEnv.env.NATS_URL as string, namespace: testEnv.id, name: "test", log });
});

afterAll(async () => {
  await bus?.close(1000);
  await fleet?.stop("test done");
  await stopRedis();
  await testEnv?.cleanup();
});

/** A counter's value as quota's /metrics shows it (Prometheus text format). */
async function counter(name: string, labels = ""): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${healthPort}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(text).toContain(`# TYPE ${name} counter`);
  // A counter has no sample line (for these labels) until its first increment.
  const prefix = `${name}${labels} `;
  const sample = text.split("\n").find((line) => line.startsWith(prefix));
  return sample === undefined ? 0 : Number(sample.slice(prefix.length));
}

/** quota's dead letters so far. */
const quotaDeadLetters = () => counter("audit_dead_letter_total", `{consumer="${CONSUMERS.quotaUsage}"}`);

async function setFailClosed(failClosed: boolean, revision: number) {
  const store = await openConfigStore(bus, log);
  await store.put(CONFIG_KEYS.settings, {
    revision,
    settings: { ...DEFAULT_SETTINGS, security: { ...DEFAULT_SETTINGS.security, rateLimitFailClosed: failClosed } },
  });
}

function event(apiKeyId: string, overrides: Partial<GatewayRequestEvent> = {}): GatewayRequestEvent {
  return {
    eventId: randomUUID(),
    occurredAt: Date.now(),
    requestId: "req",
    apiKeyId,
    userId: randomUUID(),
    teamId: null,
    providerId: null,
    providerKind: null,
    inboundApi: "openai_chat",
    model: "gpt-4o",
    upstreamModel: "gpt-4o",
    stream: false,
    statusCode: 200,
    errorCode: null,
    inputTokens: 100,
    outputTokens: 50,
    cachedTokens: 0,
    reasoningTokens: 0,
    latencyMs: 10,
    timeToFirstTokenMs: 5,
    clientIp: null,
    userAgent: null,
    weightedInputTokens: 100,
    weightedOutputTokens: 50,
    costUsd: 0.00075,
    ...overrides,
  };
}

describe("post-flight accounting from the AUDIT stream", () => {
  it("counts an event once even when it is delivered twice", async () => {
    const keyId = randomUUID();
    const subject = { kind: "api_key" as const, id: keyId };
    await bus.request(QuotaBudgetsSet, { subject, budgets: [{ period: "daily", unit: "tokens", limit: 10_000 }] });
    const once = event(keyId);
    // Two stream messages with the same event (different message ids, so the stream's own dedup does not hide it):
    // what a redelivery after the stream's duplicate window looks like to the consumer.
    await publishEvent(bus, GatewayRequestCompleted, once, `${once.eventId}-a`);
    await publishEvent(bus, GatewayRequestCompleted, once, `${once.eventId}-b`);
    const other = event(keyId, { weightedInputTokens: 7, weightedOutputTokens: 3 });
    await publishEvent(bus, GatewayRequestCompleted, other, other.eventId);
    const used = await waitFor(async () => {
      const { subjects } = await bus.request(QuotaUsage, { subjects: [subject] });
      const found = subjects[0]?.budgets[0]?.used;
      return found !== undefined && found >= 160 ? found : null;
    });
    expect(used).toBe(160);
  });

  it("checks the fields it counts: usage is counted despite an odd field it never reads, not with a bad count", async () => {
    const keyId = randomUUID();
    const subject = { kind: "api_key" as const, id: keyId };
    await bus.request(QuotaBudgetsSet, { subject, budgets: [{ period: "daily", unit: "tokens", limit: 10_000 }] });
    const deadBefore = await quotaDeadLetters();
    // Outside the contract only where accounting never reads (audit-ingest dead-letters it): the tokens were spent.
    const oddElsewhere = { ...event(keyId), inboundApi: "not_an_api", statusCode: 200.5 };
    await publishEncodedEvent(bus, GatewayRequestCompleted.subject, JSON.stringify(oddElsewhere), oddElsewhere.eventId);
    // A count outside the contract is never added to a counter.
    const badCount = { ...event(keyId), weightedInputTokens: -1000 };
    await publishEncodedEvent(bus, GatewayRequestCompleted.subject, JSON.stringify(badCount), badCount.eventId);
    const last = event(keyId, { weightedInputTokens: 7, weightedOutputTokens: 3 });
    await publishEvent(bus, GatewayRequestCompleted, last, last.eventId);
    const used = await waitFor(async () => {
      const { subjects } = await bus.request(QuotaUsage, { subjects: [subject] });
      const found = subjects[0]?.budgets[0]?.used;
      return found !== undefined && found >= 160 ? found : null;
    });
    expect(used).toBe(160);
    expect(await waitFor(async () => ((await quotaDeadLetters()) > deadBefore ? await quotaDeadLetters() : null))).toBe(
      deadBefore + 1,
    );
  });
});

describe("budget alerts", () => {
  it("fire once per threshold per period: an audit record each, none again for the next event", async () => {
    const keyId = randomUUID();
    const subject = { kind: "api_key" as const, id: keyId };
    await bus.request(QuotaBudgetsSet, { subject, budgets: [{ period: "daily", unit: "tokens", limit: 100 }] });
    const first = event(keyId, { weightedInputTokens: 40, weightedOutputTokens: 30 }); // 70 %: 50
    const second = event(keyId, { weightedInputTokens: 30, weightedOutputTokens: 10 }); // 110 %: 80, 95, 100
    const third = event(keyId, { weightedInputTokens: 5, weightedOutputTokens: 5 }); // nothing new
    for (const e of [first, second, third]) await publishEvent(bus, GatewayRequestCompleted, e, e.eventId);
    await waitFor(async () => {
      const { subjects } = await bus.request(QuotaUsage, { subjects: [subject] });
      return subjects[0]?.budgets[0]?.used === 120;
    });
    // NATS 2.9: one filter subject per consumer, so a durable one of the test's own.
    const durable = `alerts-${randomUUID().slice(0, 8)}`;
    await ensureDurableConsumer(bus, {
      stream: STREAMS.audit.name,
      durable,
      filterSubject: BudgetThresholdCrossed.subject,
      deliverFrom: "all",
    });
    const consumer = await jetstream(bus.nc).consumers.get(bus.streamName(STREAMS.audit.name), durable);
    const records: AuditRecord[] = [];
    // Every alert is published before the event that caused it is acknowledged; wait until all four are stored.
    await waitFor(
      async () => {
        const batch = await consumer.fetch({ max_messages: 10, expires: 1000 });
        for await (const message of batch) {
          const record = message.json<AuditRecord>();
          message.ack();
          if (record.target?.id === keyId) records.push(record);
        }
        return records.length >= 4;
      },
      { timeoutMs: 20_000 },
    );
    expect(records.map((r) => [r.category, r.action, r.details.thresholdPct, r.details.label, r.outcome])).toEqual([
      ["budget", "budget.threshold_crossed", 50, "api_key:budget/daily", "success"],
      ["budget", "budget.threshold_crossed", 80, "api_key:budget/daily", "success"],
      ["budget", "budget.threshold_crossed", 95, "api_key:budget/daily", "success"],
      ["budget", "budget.threshold_crossed", 100, "api_key:budget/daily", "success"],
    ]);
    expect(records[3]?.details).toMatchObject({ used: 110, limit: 100, period: "daily", unit: "tokens" });
    const more = await consumer.fetch({ max_messages: 10, expires: 1000 });
    for await (const message of more) expect(message.json<AuditRecord>().target?.id).not.toBe(keyId);
  });
});

describe("Redis unreachable", () => {
  it("fails open by default and closed when the setting says so", async () => {
    const key = { kind: "api_key" as const, id: randomUUID() };
    await bus.request(QuotaRulesSet, {
      subject: key,
      rules: [{ surface: "ai_gateway", metric: "requests", windowSeconds: 60, limit: 100 }],
    });
    const check = () =>
      bus.request(QuotaCheck, { surface: "ai_gateway", subjects: [key], requestId: "r" }, { timeoutMs: 10_000 });
    // What the gateway sends: the checks of one tick in one message, answered by one Redis script run.
    const batch = async () =>
      (
        await bus.request(
          QuotaCheckBatch,
          { checks: ["b1", "b2", "b3"].map((requestId) => ({ surface: "ai_gateway" as const, subjects: [key], requestId })) },
          { timeoutMs: 10_000 },
        )
      ).decisions;
    // A team with a monthly USD cap: a check of a request of it has a budget to enforce (and a reservation to make).
    const team = { kind: "team" as const, id: randomUUID() };
    await bus.request(QuotaBudgetsSet, { subject: team, budgets: [{ period: "monthly", unit: "usd", limit: 100 }] });
    const budgeted = () =>
      bus.request(
        QuotaCheck,
        {
          surface: "ai_gateway",
          subjects: [key, team],
          requestId: "t",
          reservation: { id: randomUUID(), weightedTokens: 1000, usd: 0.01 },
        },
        { timeoutMs: 10_000 },
      );
    expect((await check()).allowed).toBe(true);
    expect((await batch()).map((d) => d.allowed)).toEqual([true, true, true]);
    expect((await budgeted()).tightest).toBeDefined();
    const failOpenBefore = await counter("gateway_rate_limiter_fail_open_total");
    const budgetFailOpenBefore = await counter("gateway_budget_fail_open_total");
    await stopRedis();
    expect(await check()).toEqual({ allowed: true });
    expect(await batch()).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    // Rules only so far: every check failed open, none had a budget to enforce.
    expect(await counter("gateway_rate_limiter_fail_open_total")).toBe(failOpenBefore + 4);
    expect(await counter("gateway_budget_fail_open_total")).toBe(budgetFailOpenBefore);
    // A request with a budget cap let through unchecked: counted as a budget fail-open too.
    expect(await budgeted()).toEqual({ allowed: true });
    expect(await counter("gateway_rate_limiter_fail_open_total")).toBe(failOpenBefore + 5);
    expect(await counter("gateway_budget_fail_open_total")).toBe(budgetFailOpenBefore + 1);
    await setFailClosed(true, Date.now());
    const refused = await waitFor(async () => {
      const decision = await check();
      return decision.allowed ? null : decision;
    });
    const unavailable = {
      allowed: false,
      rejectedBy: { label: "rate_limiter_unavailable", limit: 0, windowSeconds: 0, retryAfterSeconds: 1, kind: "unavailable" },
    };
    expect(refused).toEqual(unavailable);
    expect(await batch()).toEqual([unavailable, unavailable, unavailable]);
    await setFailClosed(false, Date.now() + 1);
    // Each check waits for the Redis client to give up (~1-2 s, more on a loaded machine): allow a few of them.
    await waitFor(async () => (await check()).allowed, { timeoutMs: 45_000 });
    await startRedis();
    // Back: counting resumes (the fresh Redis starts from zero).
    const decision = await waitFor(async () => {
      const found = await check();
      return found.tightest === undefined ? null : found;
    });
    expect(decision.tightest).toMatchObject({ label: "api_key:requests/1m", limit: 100, remaining: 99 });
    const counted = await batch();
    expect(counted.map((d) => d.tightest?.remaining)).toEqual([98, 97, 96]);
  }, 150_000);
});
