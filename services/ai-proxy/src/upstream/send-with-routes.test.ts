/**
 * The retry loop against a fake upstream, with breakers and route caps in the real Redis: the waits between rounds
 * are the full-jitter backoff drawn from the injected random source, and a half-open probe that ends without an
 * outcome (its route skipped at a cap, its client gone) gives its slot back instead of holding the breaker half-open.
 */
import { randomBytes } from "node:crypto";
import type { Outbox } from "@thinkwatch/bus";
import { AppError } from "@thinkwatch/errors";
import { createLogger } from "@thinkwatch/log";
import { DEFAULT_SETTINGS } from "@thinkwatch/proto";
import { createRedis } from "@thinkwatch/redis";
import { createFakeClock, type FakeUpstream, startFakeUpstream, waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRedisCircuitBreakers } from "../routing/circuit-breakers.js";
import type { Route } from "../routing/model-router.js";
import { createRedisRouteCaps } from "../routing/route-caps.js";
import { type GatewaySettings, type RouteSendDeps, sendWithRoutes } from "./send-with-routes.js";
import { createUpstreamHttp, type UpstreamHttp } from "./upstream-http.js";

const log = createLogger({ service: "test", level: "silent" });
const redis = createRedis({
  url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  keyPrefix: `t${randomBytes(4).toString("hex")}:`,
  log,
});
const outbox: Outbox = { enqueue: () => undefined, pending: () => 0, dropped: () => 0, flush: async () => undefined };
const settings: GatewaySettings = {
  ...DEFAULT_SETTINGS.gateway,
  retryMaxAttempts: 3,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 400,
  breakerFailureThreshold: 3,
  breakerRecoverySeconds: 30,
};

let fake: FakeUpstream;
let upstream: UpstreamHttp;

beforeAll(async () => {
  fake = await startFakeUpstream("openai");
  upstream = createUpstreamHttp({
    timeouts: () => ({ connectMs: 2000, firstByteMs: 10_000, idleMs: 10_000, totalMs: 20_000 }),
    egress: () => ({ allowPrivate: true }),
  });
});

afterAll(async () => {
  await upstream?.close();
  await fake?.close();
  await redis.quit();
});

beforeEach(() => fake.reset());

function route(rpmLimit: number | null = null): Route {
  return {
    id: `r-${randomBytes(4).toString("hex")}`,
    model: "m",
    upstreamModel: "gpt-4o",
    weight: 1,
    priority: 0,
    rpmLimit,
    tpmLimit: null,
    provider: { id: "p", name: "fake", kind: "openai" },
  } as unknown as Route;
}

/** The retry tests fail a route on purpose more often than the breaker threshold allows: their breaker stays closed. */
const lenient = { ...settings, breakerFailureThreshold: 100 };

function deps(extra: Partial<RouteSendDeps> = {}): RouteSendDeps {
  return {
    upstream,
    breakers: createRedisCircuitBreakers({ redis, settings: () => lenient, outbox, log }),
    caps: createRedisRouteCaps(redis, log),
    gatewaySettings: () => settings,
    log,
    ...extra,
  };
}

function send(d: RouteSendDeps, r: Route, signal = new AbortController().signal) {
  return sendWithRoutes(d, { model: "m", routes: [r] }, { stream: false, signal, requestId: "req" }, () => ({
    plan: null,
    request: {
      url: `${fake.baseUrl}/chat/completions`,
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
    },
  }));
}

/** Breakers on a clock the test moves, with `r`'s breaker opened and its recovery period over. */
async function halfOpenable(r: Route) {
  const clock = createFakeClock();
  const breakers = createRedisCircuitBreakers({ redis, settings: () => settings, outbox, log, now: clock });
  for (let n = 0; n < settings.breakerFailureThreshold; n++) await breakers.record(r, false, "allow");
  clock.advance(settings.breakerRecoverySeconds * 1000);
  return breakers;
}

describe("backoff between rounds", () => {
  it("waits the full-jitter draw of the injected random source: half of base·2^(n-1), capped at the maximum", async () => {
    const waits: number[] = [];
    const d = deps({ random: () => 0.5, sleep: async (ms) => waits.push(ms) });
    fake.failNext(3, { error: { status: 503 } });
    const sent = await send(d, route());
    expect(sent.response.status).toBe(200);
    expect(sent.attempts).toBe(4);
    // min(400, 100·2^(n-1)) · 0.5 for n = 1, 2, 3.
    expect(waits).toEqual([50, 100, 200]);
  });

  it("stops after retryMaxAttempts rounds and returns the last upstream answer", async () => {
    const waits: number[] = [];
    const d = deps({ random: () => 0.999, sleep: async (ms) => waits.push(ms) });
    fake.failNext(5, { error: { status: 503 } });
    const sent = await send(d, route());
    expect(sent.response.status).toBe(503);
    expect(fake.requests).toHaveLength(1 + settings.retryMaxAttempts);
    expect(waits).toEqual([99, 199, 399]);
  });
});

describe("a half-open probe without an outcome", () => {
  it("is given back when its route is skipped at its per-minute cap", async () => {
    const r = route(1);
    const breakers = await halfOpenable(r);
    const caps = createRedisRouteCaps(redis, log);
    expect(await caps.take(r)).toBe(true);
    const refused = await send(deps({ breakers, caps }), r).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("rate_limited");
    expect(fake.requests).toHaveLength(0);
    // The slot is free again: the next request probes rather than waiting out another recovery period.
    expect(await breakers.admit(r)).toBe("probe");
  });

  it("is given back when the client goes away before the upstream answered", async () => {
    const r = route();
    const breakers = await halfOpenable(r);
    fake.script({ firstByteDelayMs: 5000 });
    const client = new AbortController();
    const pending = send(deps({ breakers }), r, client.signal).catch((e: unknown) => e);
    await waitFor(() => fake.requests.length === 1, { what: "the probe to reach the upstream" });
    client.abort();
    const failure = await pending;
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).status).toBe(499);
    expect(await breakers.admit(r)).toBe("probe");
  });
});
