/**
 * The edge's quota client on the real NATS: checks of one event-loop tick travel as one batch message, and while no
 * quota instance answers, requests go through with one warning per interval — not one per request.
 */
import { Writable } from "node:stream";
import { type Bus, connectBus } from "@thinkwatch/bus";
import { createLogger } from "@thinkwatch/log";
import { QuotaCheckBatch } from "@thinkwatch/proto";
import { createTestEnvironment, type TestEnvironment } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQuotaClient } from "../src/quota/quota-client.js";

let testEnv: TestEnvironment;
let bus: Bus;
const lines: Array<{ level: string; msg: string }> = [];
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

  it("lets requests through while quota is unreachable, with one warning for many requests", async () => {
    lines.length = 0;
    const client = createQuotaClient(bus, log, { timeoutMs: 200 });
    for (let round = 0; round < 5; round++) {
      const decisions = await Promise.all(Array.from({ length: 20 }, (_, n) => client.check(request(n))));
      expect(decisions.every((d) => d === null)).toBe(true);
    }
    expect(lines.filter((l) => l.level === "warn")).toEqual([
      expect.objectContaining({ level: "warn", msg: "quota unreachable; letting requests through", batch: 20 }),
    ]);
  });
});
