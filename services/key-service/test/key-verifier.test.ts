/**
 * The edge's key cache (libs/gateway-auth) in front of a real key-service: the TTL comes from a function (the
 * `performance.keyCacheTtlSeconds` setting at the edges), garbage never leaves the process, a flood of one unknown key
 * is one bus request, use is reported in one batched keys.v1.touch, and expiry and the end of a grace period apply on
 * the edge's clock without a broadcast.
 */
import { randomUUID } from "node:crypto";
import { type Bus, connectBus } from "@thinkwatch/bus";
import { mintVirtualKey } from "@thinkwatch/crypto";
import { createKeyVerifier } from "@thinkwatch/gateway-auth";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import { createLogger } from "@thinkwatch/log";
import { KeysCreate, KeysGet, KeysRotate, KeysTouch, KeysVerify } from "@thinkwatch/proto";
import { createTestEnvironment, freePort, type TestEnvironment, waitFor } from "@thinkwatch/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyService } from "../src/service.js";

let testEnv: TestEnvironment;
let fleet: Fleet;
let bus: Bus;
let sql: postgres.Sql;
const requests = { verify: 0, touch: 0 };

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  fleet = await startFleet({ services: [keyService], env: { ...testEnv.env, HEALTH_PORT: String(await freePort()) } });
  bus = await connectBus({
    url: testEnv.env.NATS_URL as string,
    namespace: testEnv.id,
    name: "test",
    log: createLogger({ service: "test", level: "silent" }),
  });
  // Plain (non-queue) subscriptions see a copy of every request the verifiers send.
  bus.nc.subscribe(bus.subject(KeysVerify.subject), { callback: () => void requests.verify++ });
  bus.nc.subscribe(bus.subject(KeysTouch.subject), { callback: () => void requests.touch++ });
  await bus.nc.flush();
  sql = postgres(testEnv.env.DATABASE_URL as string, { max: 1 });
});

afterAll(async () => {
  await sql?.end();
  await bus?.close(1000);
  await fleet?.stop("test done");
  await testEnv?.cleanup();
});

const userId = randomUUID();
const actor = { userId, mayActOnOthers: false };

async function createKey(extra: { expiresAt?: number } = {}) {
  const { plaintext, ...minted } = mintVirtualKey();
  const { key } = await bus.request(KeysCreate, { userId, name: "edge", minted, ...extra });
  return { key, plaintext };
}

describe("the edge's key verifier", () => {
  it("trusts a verified key for the configured TTL, then asks again", async () => {
    let clock = Date.now();
    let ttlSeconds = 60;
    const verifier = createKeyVerifier(bus, { now: () => clock, cacheTtlMs: () => ttlSeconds * 1000 });
    const { key, plaintext } = await createKey();
    expect((await verifier.verify(plaintext)).name).toBe("edge");
    // A change behind the cache's back (no broadcast): the cached answer stands until the TTL ends.
    await sql`update api_keys set name = 'renamed' where id = ${key.id}`;
    clock += 59_000;
    expect((await verifier.verify(plaintext)).name).toBe("edge");
    clock += 2_000;
    expect((await verifier.verify(plaintext)).name).toBe("renamed");
    // A shorter TTL (a settings change) applies to the next lookup.
    ttlSeconds = 1;
    await sql`update api_keys set name = 'again' where id = ${key.id}`;
    clock += 61_000;
    expect((await verifier.verify(plaintext)).name).toBe("again");
    await sql`update api_keys set name = 'once more' where id = ${key.id}`;
    clock += 1_500;
    expect((await verifier.verify(plaintext)).name).toBe("once more");
    await verifier.stop();
  });

  it("refuses garbage without a bus request and asks once for a flood of one unknown key", async () => {
    const verifier = createKeyVerifier(bus);
    const before = requests.verify;
    const garbage = await Promise.allSettled(Array.from({ length: 500 }, (_, i) => verifier.verify(`sk-${i}`)));
    expect(garbage.every((r) => r.status === "rejected" && r.reason.message === "invalid API key")).toBe(true);
    await bus.nc.flush();
    expect(requests.verify).toBe(before);
    const unknown = mintVirtualKey().plaintext;
    const flood = await Promise.allSettled(Array.from({ length: 500 }, () => verifier.verify(unknown)));
    expect(flood.every((r) => r.status === "rejected" && r.reason.code === "invalid_api_key")).toBe(true);
    await bus.nc.flush();
    expect(requests.verify).toBe(before + 1);
    await verifier.stop();
  });

  it("reports the use of many keys in one batched keys.v1.touch", async () => {
    const verifier = createKeyVerifier(bus, { usageFlushMs: 3_600_000 });
    const keys = await Promise.all([createKey(), createKey(), createKey()]);
    for (let i = 0; i < 100; i++) for (const { plaintext } of keys) await verifier.verify(plaintext);
    const before = requests.touch;
    await verifier.flushUsage();
    await bus.nc.flush();
    expect(requests.touch).toBe(before + 1);
    for (const { key } of keys) {
      const { key: got } = await bus.request(KeysGet, { id: key.id, actor });
      expect(got.lastUsedAt).toBeTypeOf("number");
    }
    await verifier.flushUsage(); // nothing new: no request
    await bus.nc.flush();
    expect(requests.touch).toBe(before + 1);
    await verifier.stop();
  });

  it("applies expiry and the end of a grace period on its own clock, with the key cached", async () => {
    let clock = Date.now();
    const verifier = createKeyVerifier(bus, { now: () => clock, cacheTtlMs: () => 24 * 3_600_000 });
    const expiring = await createKey({ expiresAt: clock + 10_000 });
    await verifier.verify(expiring.plaintext);
    const rotating = await createKey();
    const { plaintext: _successor, ...minted } = mintVirtualKey();
    await bus.request(KeysRotate, { id: rotating.key.id, actor, minted, graceHours: 1 });
    // The rotation's broadcast dropped the cached entry; the next lookup brings the grace end.
    await waitFor(async () => (await verifier.verify(rotating.plaintext)).status === "grace", { what: "the grace status" });
    const before = requests.verify;
    clock += 11_000;
    await expect(verifier.verify(expiring.plaintext)).rejects.toMatchObject({ message: "this API key has expired" });
    clock += 3_600_000;
    await expect(verifier.verify(rotating.plaintext)).rejects.toMatchObject({
      message: "this API key was rotated and its grace period has ended; use its successor",
    });
    await bus.nc.flush();
    expect(requests.verify).toBe(before);
    await verifier.stop();
  });
});
