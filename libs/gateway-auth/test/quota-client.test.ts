/**
 * The edges' quota client on the real NATS: checks of one event-loop tick travel as one batch message; while quota
 * is stopped (no responder) or paused (a responder that never answers within the timeout) the fail policy decides —
 * through unchecked (fail open) or refused as rate_limiter_unavailable (fail closed) — with one warning per interval,
 * not one per request.
 */
import { Writable } from "node:stream";
import { type Bus, connectBus } from "@thinkwatch/bus";
import { createLogger } from "@thinkwatch/log";
import { QuotaCheckBatch, RATE_LIMITER_UNAVAILABLE } from "@thinkwatch/proto";
import { createTestEnvironment, type TestEnvironment } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQuotaClient } from "../src/quota-client.js";

let testEnv: TestEnvironment;
let bus: Bus;
const lines: Array<{ level: string; msg: string; event?: string }> = [];
const log = createLogger({
  service: "test",
  level: "warn",
  destination: new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line !== "") lines.push(JSON.parse(line));
      done();
    },
  }),
});

beforeAll(async () => {
  testEnv = await createTestEnvironment({ migrate: false });
  bus = await connectBus({ url: testEnv.env.NATS_URL as string, namespace: testEnv.id, name: "test", log });
});

afterAll(async () => {
  await bus?.close(1000);
  await testEnv?.cleanup();
});

const request = (n: number) => ({
  surface: "ai_gateway" as const,
  subjects: [{ kind: "user" as const, id: `u${n}` }],
  requestId: `r${n}`,
});

describe("quota client", () => {
  it("sends the checks of one tick as one batch and hands each caller its own decision", async () => {
    const batches: number[] = [];
    const sub = bus.serve(QuotaCheckBatch, async ({ checks }) => {
      batches.push(checks.length);
      return { decisions: checks.map((check) => ({ allowed: check.requestId !== "r2" })) };
    });
    const client = createQuotaClient(bus, log);
    const decisions = await Promise.all([0, 1, 2, 3].map((n) => client.check(request(n))));
    expect(decisions.map((d) => d?.allowed)).toEqual([true, true, false, true]);
    expect(batches).toEqual([4]);
    sub.unsubscribe();
  });

  it("lets requests through while quota is stopped (fail open), with one warning for many requests", async () => {
    lines.length = 0;
    const client = createQuotaClient(bus, log, { timeoutMs: 200 });
    for (let round = 0; round < 5; round++) {
      const decisions = await Promise.all(Array.from({ length: 20 }, (_, n) => client.check(request(n))));
      expect(decisions.every((d) => d === null)).toBe(true);
    }
    expect(lines.filter((l) => l.level === "warn")).toEqual([
      expect.objectContaining({
        level: "warn",
        event: "gateway_rate_limiter_fail_open",
        msg: "quota unreachable; letting requests through (fail open)",
        batch: 20,
      }),
    ]);
    expect(client.failures()).toEqual({ failOpen: 100, failClosed: 0 });
  });

  describe("a quota that is paused: the subject has a responder that never answers", () => {
    let answered = 0;
    let received = 0;
    let sub: { unsubscribe(): void };
    beforeAll(() => {
      sub = bus.serve(QuotaCheckBatch, async () => {
        received += 1;
        await new Promise(() => undefined);
        answered += 1;
        return { decisions: [] };
      });
    });
    afterAll(() => sub.unsubscribe());

    it("fail closed: a reply slower than the timeout refuses the request as rate_limiter_unavailable", async () => {
      lines.length = 0;
      let closed = true;
      const client = createQuotaClient(bus, log, { timeoutMs: 300, failClosed: () => closed });
      const started = Date.now();
      const decisions = await Promise.all([0, 1, 2].map((n) => client.check(request(n))));
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(decisions).toEqual([RATE_LIMITER_UNAVAILABLE, RATE_LIMITER_UNAVAILABLE, RATE_LIMITER_UNAVAILABLE]);
      expect(received).toBeGreaterThan(0);
      expect(answered).toBe(0);
      expect(client.failures()).toEqual({ failOpen: 0, failClosed: 3 });
      expect(lines.filter((l) => l.level === "warn")).toEqual([
        expect.objectContaining({
          event: "gateway_rate_limiter_fail_closed",
          msg: "quota unreachable; refusing unchecked requests (fail closed)",
          batch: 3,
        }),
      ]);

      // The policy is read at each failure: switching it applies to the next timeout.
      closed = false;
      expect(await client.check(request(7))).toBeNull();
      expect(client.failures()).toEqual({ failOpen: 1, failClosed: 3 });
    });

    it("fail open: a reply slower than the timeout lets the request through unchecked and counts it", async () => {
      const client = createQuotaClient(bus, log, { timeoutMs: 300, failClosed: () => false });
      const decisions = await Promise.all([0, 1].map((n) => client.check(request(n))));
      expect(decisions).toEqual([null, null]);
      expect(client.failures()).toEqual({ failOpen: 2, failClosed: 0 });
    });
  });
});
