import { randomUUID } from "node:crypto";
import { type Bus, connectBus } from "@thinkwatch/bus";
import { hashVirtualKey, mintVirtualKey } from "@thinkwatch/crypto";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import { createLogger } from "@thinkwatch/log";
import { KeysChanged, KeysCreate, KeysList, KeysRevoke, KeysVerify } from "@thinkwatch/proto";
import { createTestEnvironment, freePort, type TestEnvironment, waitFor } from "@thinkwatch/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyService } from "../src/service.js";

let testEnv: TestEnvironment;
let fleet: Fleet;
let bus: Bus;

/** Create a key as admin-api does: mint it here, send only its hash and prefix. */
async function create(input: { userId: string; name: string; allowedModels?: string[]; expiresAt?: number }) {
  const { plaintext, ...minted } = mintVirtualKey();
  const created = await bus.request(KeysCreate, { ...input, minted });
  return { ...created, plaintext };
}

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  fleet = await startFleet({ services: [keyService], env: { ...testEnv.env, HEALTH_PORT: String(await freePort()) } });
  bus = await connectBus({
    url: testEnv.env.NATS_URL as string,
    namespace: testEnv.id,
    name: "test",
    log: createLogger({ service: "test", level: "silent" }),
  });
});

afterAll(async () => {
  await bus?.close(1000);
  await fleet?.stop("test done");
  await testEnv?.cleanup();
});

describe("key-service over NATS", () => {
  it("stores a minted tw- key by its hash only, and verifies it by hash", async () => {
    const userId = randomUUID();
    const created = await create({ userId, name: "ci key", allowedModels: ["gpt-4o-mini"] });
    expect(created.plaintext).toMatch(/^tw-[0-9A-Za-z]{40}$/);
    expect(created.key).toMatchObject({
      userId,
      name: "ci key",
      surfaces: ["ai_gateway", "mcp_gateway"],
      allowedModels: ["gpt-4o-mini"],
      revokedAt: null,
    });
    expect(created.key.prefix).toBe(created.plaintext.slice(0, 7));

    const sql = postgres(testEnv.env.DATABASE_URL as string, { max: 1 });
    const rows = await sql`select key_hash, key_prefix from api_keys where id = ${created.key.id}`;
    await sql.end();
    expect(rows).toEqual([{ key_hash: hashVirtualKey(created.plaintext), key_prefix: created.plaintext.slice(0, 7) }]);
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(created.plaintext);

    const verified = await bus.request(KeysVerify, { keyHash: hashVirtualKey(created.plaintext) });
    expect(verified.key.id).toBe(created.key.id);
  });

  it.each([
    ["an unknown key", async () => hashVirtualKey("tw-unknown"), "invalid API key"],
    [
      "an expired key",
      async () => {
        const created = await create({ userId: randomUUID(), name: "old", expiresAt: Date.now() - 1000 });
        return hashVirtualKey(created.plaintext);
      },
      "this API key has expired",
    ],
  ])("refuses %s with invalid_api_key", async (_label, keyHashOf, message) => {
    await expect(bus.request(KeysVerify, { keyHash: await keyHashOf() })).rejects.toMatchObject({
      code: "invalid_api_key",
      message,
    });
  });

  it("revokes a key, broadcasts the change, and refuses it afterwards", async () => {
    const userId = randomUUID();
    const created = await create({ userId, name: "to revoke" });
    const changes: unknown[] = [];
    const sub = bus.onBroadcast(KeysChanged, (change) => changes.push(change));
    await bus.nc.flush();
    const revoked = await bus.request(KeysRevoke, { id: created.key.id, actor: { userId, mayActOnOthers: false } });
    expect(revoked.key.revokedAt).toBeTypeOf("number");
    await waitFor(() => changes.length > 0, { what: "the revocation broadcast" });
    sub.unsubscribe();
    expect(changes).toEqual([{ keyId: created.key.id, keyHash: hashVirtualKey(created.plaintext), change: "revoked" }]);
    await expect(bus.request(KeysVerify, { keyHash: hashVirtualKey(created.plaintext) })).rejects.toMatchObject({
      code: "invalid_api_key",
      message: "this API key has been revoked",
    });
  });

  it("lists a user's keys, newest first, without hashes", async () => {
    const userId = randomUUID();
    await create({ userId, name: "first" });
    await create({ userId, name: "second" });
    const listed = await bus.request(KeysList, { userId });
    expect(listed.keys.map((k) => k.name)).toEqual(["second", "first"]);
    expect(JSON.stringify(listed)).not.toMatch(/keyHash|key_hash/);
  });

  it("answers a malformed request with validation_failed instead of crashing", async () => {
    const reply = await bus.nc.request(bus.subject(KeysVerify.subject), new TextEncoder().encode('{"keyHash":42}'));
    expect(reply.headers?.get("Tw-Error")).toBe("validation_failed");
    // The service still answers afterwards.
    await expect(bus.request(KeysVerify, { keyHash: hashVirtualKey("tw-x") })).rejects.toMatchObject({ code: "invalid_api_key" });
  });
});
