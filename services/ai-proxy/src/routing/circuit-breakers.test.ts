/**
 * The breaker against the real Redis. Outcome folding: successes of a closed route are counted locally and land in
 * the shared window within a flush, failures go at once (taking the waiting successes along), so the error rate is
 * the same as if every outcome had been sent, and a breaker still opens on the failure that crosses the threshold.
 * The state machine on a clock the test moves: the window's period, half-open probes (how many, what a failed one
 * does) and a probe that ends without an outcome giving its slot back.
 */
import { randomBytes } from "node:crypto";
import type { Outbox } from "@thinkwatch/bus";
import { createLogger } from "@thinkwatch/log";
import { GatewaySettingsSchema } from "@thinkwatch/proto";
import { createRedis } from "@thinkwatch/redis";
import { createFakeClock, waitFor } from "@thinkwatch/testkit";
import * as v from "valibot";
import { afterAll, describe, expect, it } from "vitest";
import { breakerKey, createRedisCircuitBreakers } from "./circuit-breakers.js";
import type { Route } from "./model-router.js";

const log = createLogger({ service: "test", level: "silent" });
const redis = createRedis({
  url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  keyPrefix: `t${randomBytes(4).toString("hex")}:`,
  log,
});
const settings = v.parse(GatewaySettingsSchema, {
  breakerFailureThreshold: 3,
  breakerErrorRatePct: 50,
  breakerWindowSeconds: 60,
  breakerRecoverySeconds: 30,
});
const published: string[] = [];
const outbox: Outbox = {
  enqueue: (contract) => {
    published.push(contract.subject);
  },
  pending: () => 0,
  dropped: () => 0,
  flush: async () => undefined,
};

const route = (id: string) => ({ id, model: "m", upstreamModel: "m", provider: { id: "p", name: "p" } }) as unknown as Route;
const window = async (id: string) => {
  const [state, requests, failures] = await redis.hmget(breakerKey(id), "state", "requests", "failures");
  return { state, requests: Number(requests ?? 0), failures: Number(failures ?? 0) };
};

afterAll(async () => {
  await redis.quit();
});

describe("circuit breaker outcome folding", () => {
  it("counts closed-route successes locally and lands them in the shared window within a flush", async () => {
    const breakers = createRedisCircuitBreakers({ redis, settings: () => settings, outbox, log });
    const r = route(`ok-${randomBytes(3).toString("hex")}`);
    expect(await breakers.admit(r)).toBe("allow");
    for (let n = 0; n < 50; n++) expect(breakers.record(r, true, "allow")).toBeUndefined();
    // Nothing went to Redis yet for those 50 answers…
    expect((await window(r.id)).requests).toBe(0);
    // …and within a flush they are all there, in one window.
    await waitFor(async () => (await window(r.id)).requests === 50, { what: "the folded successes to land" });
    expect(await window(r.id)).toEqual({ state: "closed", requests: 50, failures: 0 });
  });

  it("sends a failure at once with the waiting successes, so the error rate is exact and the breaker opens on time", async () => {
    const breakers = createRedisCircuitBreakers({ redis, settings: () => settings, outbox, log });
    const r = route(`fail-${randomBytes(3).toString("hex")}`);
    await breakers.admit(r);
    for (let n = 0; n < 3; n++) breakers.record(r, true, "allow");
    await breakers.record(r, false, "allow");
    expect(await window(r.id)).toEqual({ state: "closed", requests: 4, failures: 1 });
    await breakers.record(r, false, "allow");
    // 2 of 5 failed: under the 50 % rate, closed.
    expect((await window(r.id)).state).toBe("closed");
    await breakers.record(r, false, "allow");
    // 3 failures of 6 = 50 % with the threshold of 3 reached: open, published once.
    expect((await window(r.id)).state).toBe("open");
    expect(published.filter((subject) => subject.endsWith("circuit_breaker.opened"))).toHaveLength(1);
    expect(await breakers.admit(r)).toBe("deny");
  });
});

describe("circuit breaker state machine", () => {
  /** A breaker set on a clock of its own, and a fresh route opened by three failures. */
  async function opened(overrides: Partial<typeof settings> = {}) {
    const clock = createFakeClock();
    const own = { ...settings, ...overrides };
    const breakers = createRedisCircuitBreakers({ redis, settings: () => own, outbox, log, now: clock });
    const r = route(`sm-${randomBytes(3).toString("hex")}`);
    for (let n = 0; n < 3; n++) await breakers.record(r, false, "allow");
    expect((await window(r.id)).state).toBe("open");
    return { clock, breakers, r };
  }

  it("starts a new window after breakerWindowSeconds: old failures no longer count", async () => {
    const clock = createFakeClock();
    const breakers = createRedisCircuitBreakers({ redis, settings: () => settings, outbox, log, now: clock });
    const r = route(`win-${randomBytes(3).toString("hex")}`);
    await breakers.record(r, false, "allow");
    await breakers.record(r, false, "allow");
    expect(await window(r.id)).toEqual({ state: "closed", requests: 2, failures: 2 });
    clock.advance(settings.breakerWindowSeconds * 1000);
    // The third failure would open the breaker inside the first window; in the next one it is the first failure.
    await breakers.record(r, false, "allow");
    expect(await window(r.id)).toEqual({ state: "closed", requests: 1, failures: 1 });
  });

  it("refuses while open, hands out one probe after the recovery period, and a failed probe opens it again", async () => {
    const { clock, breakers, r } = await opened();
    clock.advance(settings.breakerRecoverySeconds * 1000 - 1);
    expect(await breakers.admit(r)).toBe("deny");
    clock.advance(1);
    expect(await breakers.admit(r)).toBe("probe");
    expect(await breakers.admit(r)).toBe("deny");
    await breakers.record(r, false, "probe");
    const [state, openedAt] = await redis.hmget(breakerKey(r.id), "state", "openedAt");
    expect({ state, openedAt: Number(openedAt) }).toEqual({ state: "open", openedAt: clock() });
    // Open again for a whole recovery period from the failed probe.
    clock.advance(settings.breakerRecoverySeconds * 1000 - 1);
    expect(await breakers.admit(r)).toBe("deny");
    clock.advance(1);
    expect(await breakers.admit(r)).toBe("probe");
  });

  it("hands out breakerHalfOpenProbes probes at once and closes only when that many succeeded", async () => {
    const { clock, breakers, r } = await opened({ breakerHalfOpenProbes: 3 });
    clock.advance(settings.breakerRecoverySeconds * 1000);
    expect([await breakers.admit(r), await breakers.admit(r), await breakers.admit(r), await breakers.admit(r)]).toEqual([
      "probe",
      "probe",
      "probe",
      "deny",
    ]);
    await breakers.record(r, true, "probe");
    await breakers.record(r, true, "probe");
    expect((await window(r.id)).state).toBe("half_open");
    await breakers.record(r, true, "probe");
    expect((await window(r.id)).state).toBe("closed");
    expect(await breakers.admit(r)).toBe("allow");
  });

  it("takes back a probe released without an outcome, so the next request probes at once", async () => {
    const { clock, breakers, r } = await opened();
    clock.advance(settings.breakerRecoverySeconds * 1000);
    expect(await breakers.admit(r)).toBe("probe");
    expect(await breakers.admit(r)).toBe("deny");
    await breakers.release(r, "probe");
    expect(await breakers.admit(r)).toBe("probe");
    // Releasing what is not a probe changes nothing.
    expect(breakers.release(r, "allow")).toBeUndefined();
    expect(await breakers.admit(r)).toBe("deny");
  });
});
