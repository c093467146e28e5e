/**
 * The key lifecycle driven by a fake clock, against real PostgreSQL and NATS, with TWO key-service replicas (so the
 * enforcer's "once" guarantees are tested under contention): rotation and its grace overlap, the 409 for rotating a
 * key already in grace, forced revocation, the owner check, expiry warnings once each, expiry, inactivity, automatic
 * rotation with a one-time reveal, soft delete and purge, default expiry from settings, and identity changes.
 */
import { randomUUID } from "node:crypto";
import { type Bus, connectBus, openConfigStore } from "@thinkwatch/bus";
import { createKeyring, hashVirtualKey, mintVirtualKey } from "@thinkwatch/crypto";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import { createLogger } from "@thinkwatch/log";
import {
  type AuditRecord,
  CONFIG_KEYS,
  DEFAULT_SETTINGS,
  type KeyActor,
  KeysChanged,
  KeysCreate,
  KeysDelete,
  KeysGet,
  KeysList,
  KeysReveal,
  KeysRevoke,
  KeysRotate,
  KeysTouch,
  KeysUpdate,
  KeysVerify,
  type PayloadOf,
  type RequestInputOf,
  UsersChanged,
} from "@thinkwatch/proto";
import { createTestEnvironment, freePort, TEST_SECRETS, type TestEnvironment, waitFor } from "@thinkwatch/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeyEnforcer } from "../src/enforcer/key-enforcer.js";
import { createKeyService } from "../src/service.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let clock = Date.parse("2031-03-01T12:00:00Z");
const now = () => clock;
const advance = (ms: number) => {
  clock += ms;
};

let testEnv: TestEnvironment;
const fleets: Fleet[] = [];
const enforcers: KeyEnforcer[] = [];
let bus: Bus;
let sql: postgres.Sql;
const audits = new Map<string, AuditRecord>();
const changes: Array<PayloadOf<typeof KeysChanged>> = [];
const plaintexts: string[] = [];

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  for (let replica = 0; replica < 2; replica++) {
    const service = createKeyService({ now, onEnforcer: (enforcer) => enforcers.push(enforcer) });
    fleets.push(
      await startFleet({
        services: [service],
        // The enforcers run only when a test asks, so every pass happens at a known fake time.
        env: { ...testEnv.env, HEALTH_PORT: String(await freePort()), KEY_ENFORCER_INTERVAL_MS: String(24 * HOUR) },
      }),
    );
  }
  bus = await connectBus({
    url: testEnv.env.NATS_URL as string,
    namespace: testEnv.id,
    name: "test",
    log: createLogger({ service: "test", level: "silent" }),
  });
  bus.nc.subscribe(bus.subject("audit.v1.evt.key.>"), {
    callback: (_err, msg) => {
      const record = msg.json<AuditRecord>();
      audits.set(record.eventId, record);
    },
  });
  bus.onBroadcast(KeysChanged, (change) => changes.push(change));
  await bus.nc.flush();
  sql = postgres(testEnv.env.DATABASE_URL as string, { max: 1 });
});

afterAll(async () => {
  await sql?.end();
  await bus?.close(1000);
  for (const fleet of fleets) await fleet.stop("test done");
  await testEnv?.cleanup();
});

const owner = (userId: string, mayActOnOthers = false): KeyActor => ({
  userId,
  mayActOnOthers,
  name: null,
  ip: null,
  userAgent: null,
  requestId: null,
});

/** Keys are minted by the caller (admin-api in production); key-service sees only the hash and prefix. */
async function createKey(input: Omit<Partial<RequestInputOf<typeof KeysCreate>>, "minted"> = {}) {
  const userId = input.userId ?? randomUUID();
  const { plaintext, ...minted } = mintVirtualKey();
  const created = await bus.request(KeysCreate, { name: "key", ...input, userId, minted });
  plaintexts.push(plaintext);
  return { ...created, plaintext, userId, actor: owner(userId) };
}

async function rotate(id: string, actor: KeyActor, graceHours?: number) {
  const { plaintext, ...minted } = mintVirtualKey();
  const rotated = await bus.request(KeysRotate, { id, actor, minted, ...(graceHours === undefined ? {} : { graceHours }) });
  plaintexts.push(plaintext);
  return { ...rotated, plaintext };
}

const verify = (plaintext: string) => bus.request(KeysVerify, { keyHash: hashVirtualKey(plaintext) });
const expectRefused = (plaintext: string, message: string) =>
  expect(verify(plaintext)).rejects.toMatchObject({ code: "invalid_api_key", message });

/** One pass of BOTH replicas' enforcers at the same moment. */
async function enforce() {
  const reports = await Promise.all(enforcers.map((enforcer) => enforcer.runOnce()));
  return reports;
}

const auditsFor = (keyId: string, action: string) =>
  [...audits.values()].filter((record) => record.target?.id === keyId && record.action === action);

describe("rotation", () => {
  it("keeps both keys working during the grace period, shares the lineage, and stops the old key at its end", async () => {
    const first = await createKey({
      allowedModels: ["gpt-4o*"],
      allowedMcpTools: ["github__*"],
      strictConversion: true,
      costCenter: "cc-42",
    });
    expect(first.key.strictConversion).toBe(true);
    const rotated = await rotate(first.key.id, first.actor);
    expect(rotated.plaintext).not.toBe(first.plaintext);
    expect(rotated.previous).toMatchObject({
      status: "grace",
      supersededById: rotated.key.id,
      graceEndsAt: clock + DEFAULT_SETTINGS.api_keys.rotationGraceHours * HOUR,
    });
    expect(rotated.key).toMatchObject({
      status: "active",
      lineageId: first.key.lineageId,
      rotatedFromId: first.key.id,
      allowedModels: ["gpt-4o*"],
      allowedMcpTools: ["github__*"],
      strictConversion: true,
      costCenter: "cc-42",
      userId: first.userId,
    });
    expect(first.key.lineageId).toBe(first.key.id);

    advance(23 * HOUR);
    const [oldKey, newKey] = await Promise.all([verify(first.plaintext), verify(rotated.plaintext)]);
    expect(oldKey.key).toMatchObject({ id: first.key.id, lineageId: first.key.lineageId, status: "grace" });
    expect(newKey.key).toMatchObject({ id: rotated.key.id, lineageId: first.key.lineageId, status: "active" });

    advance(2 * HOUR);
    await expectRefused(first.plaintext, "this API key was rotated and its grace period has ended; use its successor");
    expect((await verify(rotated.plaintext)).key.id).toBe(rotated.key.id);
    expect(auditsFor(first.key.id, "key.rotated")).toHaveLength(1);
  });

  it("refuses to rotate a key that is already in its grace period, with a 409 naming the successor", async () => {
    const first = await createKey();
    const rotated = await rotate(first.key.id, first.actor, 2);
    expect(rotated.previous.graceEndsAt).toBe(clock + 2 * HOUR);
    await expect(rotate(first.key.id, first.actor)).rejects.toMatchObject({
      code: "conflict",
      message: `this API key was already rotated (it keeps working until ${new Date(clock + 2 * HOUR).toISOString()}); rotate its successor ${rotated.key.id} instead`,
    });
    // Two concurrent rotations of the successor: exactly one wins.
    const results = await Promise.allSettled([rotate(rotated.key.id, first.actor), rotate(rotated.key.id, first.actor)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict" } });
    const lineage = (await bus.request(KeysList, { userId: first.userId })).keys;
    expect(lineage).toHaveLength(3);
    expect(new Set(lineage.map((k) => k.lineageId))).toEqual(new Set([first.key.lineageId]));
  });
});

describe("revocation", () => {
  it("stops a key at once and broadcasts it", async () => {
    const created = await createKey();
    const revoked = await bus.request(KeysRevoke, { id: created.key.id, actor: created.actor });
    expect(revoked).toMatchObject({ key: { status: "revoked", revokedReason: "manual" }, alsoRevoked: [] });
    await expectRefused(created.plaintext, "this API key has been revoked");
    await waitFor(() => changes.some((c) => c.keyId === created.key.id && c.change === "revoked"), { what: "the broadcast" });
    await expect(bus.request(KeysRevoke, { id: created.key.id, actor: created.actor })).rejects.toMatchObject({
      code: "conflict",
      message: "this API key is already revoked",
    });
    // Created and revoked are on the audit trail, by the acting user, once each.
    await waitFor(() => auditsFor(created.key.id, "key.revoked").length === 1, { what: "the revocation record" });
    expect(auditsFor(created.key.id, "key.created")).toHaveLength(1);
    expect(auditsFor(created.key.id, "key.revoked")[0]).toMatchObject({
      category: "api_key",
      actor: { kind: "user", id: created.userId },
      target: { kind: "api_key", id: created.key.id },
      details: { force: false, prefix: created.key.prefix, lineageId: created.key.lineageId },
    });
  });

  it("revokes a key in grace only with force, and force on the successor ends the predecessor's grace too", async () => {
    const first = await createKey();
    const rotated = await rotate(first.key.id, first.actor);
    await expect(bus.request(KeysRevoke, { id: first.key.id, actor: first.actor })).rejects.toMatchObject({
      code: "conflict",
      message: `this API key was rotated and keeps working until ${new Date(clock + 24 * HOUR).toISOString()}; revoke with force=true to stop it now`,
    });
    // A plain revoke of the successor leaves the predecessor's grace alone…
    const second = await createKey();
    const secondRotated = await rotate(second.key.id, second.actor);
    expect((await bus.request(KeysRevoke, { id: secondRotated.key.id, actor: second.actor })).alsoRevoked).toEqual([]);
    expect((await verify(second.plaintext)).key.status).toBe("grace");
    // …force does not.
    const forced = await bus.request(KeysRevoke, { id: rotated.key.id, actor: first.actor, force: true });
    expect(forced).toMatchObject({ key: { status: "revoked", revokedReason: "forced" }, alsoRevoked: [first.key.id] });
    await expectRefused(first.plaintext, "this API key has been revoked");
    await expectRefused(rotated.plaintext, "this API key has been revoked");
  });
});

describe("the owner check", () => {
  it("answers not_found for someone else's key on every call, and lets an admin act", async () => {
    const created = await createKey();
    const stranger = owner(randomUUID());
    const notFound = { code: "not_found", message: `no API key with id ${created.key.id}` };
    await expect(bus.request(KeysGet, { id: created.key.id, actor: stranger })).rejects.toMatchObject(notFound);
    await expect(rotate(created.key.id, stranger)).rejects.toMatchObject(notFound);
    await expect(bus.request(KeysRevoke, { id: created.key.id, actor: stranger, force: true })).rejects.toMatchObject(notFound);
    await expect(bus.request(KeysDelete, { id: created.key.id, actor: stranger })).rejects.toMatchObject(notFound);
    await expect(bus.request(KeysUpdate, { id: created.key.id, actor: stranger, patch: { name: "x" } })).rejects.toMatchObject(
      notFound,
    );
    expect((await verify(created.plaintext)).key.name).toBe("key");
    const admin = owner(randomUUID(), true);
    const updated = await bus.request(KeysUpdate, {
      id: created.key.id,
      actor: admin,
      patch: { name: "renamed", allowedModels: ["claude-*"], surfaces: ["mcp_gateway"] },
    });
    expect(updated.key).toMatchObject({ name: "renamed", allowedModels: ["claude-*"], surfaces: ["mcp_gateway"] });
    await waitFor(() => changes.some((c) => c.keyId === created.key.id && c.change === "updated"), { what: "the broadcast" });
    expect((await bus.request(KeysRevoke, { id: created.key.id, actor: admin })).key.status).toBe("revoked");
    await expect(bus.request(KeysUpdate, { id: created.key.id, actor: admin, patch: { name: "again" } })).rejects.toMatchObject({
      code: "conflict",
      message: "this API key is revoked and can no longer be changed",
    });
  });
});

describe("the enforcer", () => {
  it("warns of expiry at 7, 3 and 1 days, each once across both replicas, then records the expiry once", async () => {
    const created = await createKey({ expiresAt: clock + 10 * DAY });
    const warnings = () => auditsFor(created.key.id, "key.expiry_warning").map((r) => r.details.daysBefore);
    advance(2 * DAY); // 8 days left
    await enforce();
    advance(1.5 * DAY); // 6.5 days left
    await enforce();
    await enforce();
    await waitFor(() => warnings().length === 1, { what: "the 7-day warning" });
    advance(4 * DAY); // 2.5 days left
    await enforce();
    await enforce();
    await waitFor(() => warnings().length === 2, { what: "the 3-day warning" });
    advance(2 * DAY); // 0.5 days left
    await enforce();
    await waitFor(() => warnings().length === 3, { what: "the 1-day warning" });
    expect((await verify(created.plaintext)).key.status).toBe("active");
    advance(DAY);
    await expectRefused(created.plaintext, "this API key has expired");
    await enforce();
    await enforce();
    await waitFor(() => auditsFor(created.key.id, "key.expired").length === 1, { what: "the expiry record" });
    // A few more passes later: still exactly one of each.
    await enforce();
    await waitFor(() => changes.some((c) => c.keyId === created.key.id && c.change === "expired"), { what: "the broadcast" });
    expect(warnings()).toEqual([7, 3, 1]);
    expect(auditsFor(created.key.id, "key.expired")).toHaveLength(1);
    expect(auditsFor(created.key.id, "key.expired")[0]).toMatchObject({
      category: "api_key",
      actor: { kind: "system", name: "key-service" },
      target: { kind: "api_key", id: created.key.id, name: "key" },
      outcome: "success",
    });
  });

  it("disables a key left unused for its inactivity timeout; reported use keeps it alive", async () => {
    const idle = await createKey({ inactivityTimeoutDays: 5 });
    const busy = await createKey({ inactivityTimeoutDays: 5 });
    advance(4 * DAY);
    expect(await bus.request(KeysTouch, { keyIds: [busy.key.id, busy.key.id], at: clock })).toEqual({ updated: 1 });
    advance(1.5 * DAY);
    await enforce();
    await enforce();
    await expectRefused(idle.plaintext, "this API key was disabled after 5 days without use");
    expect((await verify(busy.plaintext)).key).toMatchObject({ status: "active", lastUsedAt: clock - 1.5 * DAY });
    await waitFor(() => auditsFor(idle.key.id, "key.disabled_inactive").length === 1, { what: "the inactivity record" });
    await waitFor(() => changes.some((c) => c.keyId === idle.key.id && c.change === "disabled"), { what: "the broadcast" });
    expect(auditsFor(busy.key.id, "key.disabled_inactive")).toHaveLength(0);
    expect((await bus.request(KeysGet, { id: idle.key.id, actor: idle.actor })).key).toMatchObject({
      status: "disabled",
      disabledReason: "inactive",
    });
  });

  it("rotates a key automatically when its rotation period is over, and reveals the successor once", async () => {
    const created = await createKey({ rotationPeriodDays: 30 });
    advance(29 * DAY);
    await enforce();
    expect((await bus.request(KeysList, { userId: created.userId })).keys).toHaveLength(1);
    advance(2 * DAY);
    const reports = await enforce();
    expect(reports.reduce((sum, r) => sum + (r?.rotated ?? 0), 0)).toBe(1);
    const keys = (await bus.request(KeysList, { userId: created.userId })).keys;
    const successor = keys.find((k) => k.rotatedFromId === created.key.id);
    expect(successor).toMatchObject({ pendingReveal: true, status: "active", lineageId: created.key.lineageId });
    expect((await verify(created.plaintext)).key.status).toBe("grace");
    const revealed = await bus.request(KeysReveal, { id: successor?.id as string, actor: created.actor });
    const plaintext = createKeyring(TEST_SECRETS.ENCRYPTION_KEY).decrypt(revealed.sealedPlaintext);
    plaintexts.push(plaintext);
    expect(revealed.sealedPlaintext).not.toContain(plaintext.slice(3));
    expect((await verify(plaintext)).key.id).toBe(successor?.id);
    expect(revealed.key.pendingReveal).toBe(false);
    await expect(bus.request(KeysReveal, { id: successor?.id as string, actor: created.actor })).rejects.toMatchObject({
      code: "conflict",
      message: "this API key has no plaintext to reveal (it is shown only once)",
    });
    await waitFor(() => auditsFor(created.key.id, "key.rotated").length === 1, { what: "the rotation record" });
    expect(auditsFor(created.key.id, "key.rotated")[0]?.details).toMatchObject({ automatic: true, successorId: successor?.id });
  });

  it("soft-deletes a key at once and purges it after 30 days", async () => {
    const created = await createKey();
    const deleted = await bus.request(KeysDelete, { id: created.key.id, actor: created.actor });
    expect(deleted.key).toMatchObject({ status: "deleted", deletedAt: clock });
    await expectRefused(created.plaintext, "invalid API key");
    expect((await bus.request(KeysList, { userId: created.userId })).keys).toEqual([]);
    expect((await bus.request(KeysList, { userId: created.userId, includeDeleted: true })).keys).toHaveLength(1);
    await expect(bus.request(KeysGet, { id: created.key.id, actor: created.actor })).rejects.toMatchObject({ code: "not_found" });
    advance(29 * DAY);
    await enforce();
    expect(await sql`select id from api_keys where id = ${created.key.id}`).toHaveLength(1);
    advance(1 * DAY + 1);
    await enforce();
    await enforce();
    expect(await sql`select id from api_keys where id = ${created.key.id}`).toHaveLength(0);
    await waitFor(() => auditsFor(created.key.id, "key.purged").length === 1, { what: "the purge record" });
    expect(auditsFor(created.key.id, "key.deleted")).toHaveLength(1);
  });
});

describe("settings", () => {
  it("gives new keys the default expiry and inactivity timeout from settings", async () => {
    const store = await openConfigStore(bus, createLogger({ service: "test", level: "silent" }));
    await store.put(CONFIG_KEYS.settings, {
      revision: 1,
      settings: {
        ...DEFAULT_SETTINGS,
        api_keys: { ...DEFAULT_SETTINGS.api_keys, defaultExpiryDays: 90, defaultInactivityDays: 14 },
      },
    });
    // Both replicas must have the new settings: create keys until two in a row carry them.
    let inARow = 0;
    await waitFor(
      async () => {
        const created = await createKey();
        inARow = created.key.expiresAt === clock + 90 * DAY && created.key.inactivityTimeoutDays === 14 ? inARow + 1 : 0;
        return inARow >= 4;
      },
      { what: "the settings to reach both replicas" },
    );
    const explicit = await createKey({ expiresAt: null, inactivityTimeoutDays: null });
    expect(explicit.key).toMatchObject({ expiresAt: null, inactivityTimeoutDays: null });
    await store.put(CONFIG_KEYS.settings, { revision: 2, settings: DEFAULT_SETTINGS });
    await waitFor(async () => (await createKey()).key.expiresAt === null, { what: "the defaults back" });
  });
});

describe("identity changes", () => {
  it("suspends a deactivated user's keys at once and restores them on reactivation", async () => {
    const a = await createKey();
    const b = await createKey({ userId: a.userId });
    const other = await createKey();
    bus.broadcast(UsersChanged, { userId: a.userId, change: "deactivated" });
    await waitFor(() => changes.filter((c) => c.change === "suspended" && [a.key.id, b.key.id].includes(c.keyId)).length === 2, {
      what: "both keys suspended",
    });
    await expectRefused(a.plaintext, "this API key is suspended: its owner is deactivated or no longer allowed to use API keys");
    await expectRefused(b.plaintext, "this API key is suspended: its owner is deactivated or no longer allowed to use API keys");
    expect((await verify(other.plaintext)).key.status).toBe("active");
    // Both replicas received the broadcast; each key is suspended (and recorded) once.
    await waitFor(() => auditsFor(a.key.id, "key.suspended").length === 1, { what: "the suspension record" });
    bus.broadcast(UsersChanged, { userId: a.userId, change: "reactivated" });
    await waitFor(async () => (await verify(a.plaintext).catch(() => null))?.key.status === "active", { what: "restored" });
    expect((await verify(b.plaintext)).key.status).toBe("active");
    expect(auditsFor(a.key.id, "key.suspended")).toHaveLength(1);
  });

  it("suspends a demoted user's keys when their roles no longer allow keys, and restores them on re-promotion", async () => {
    const a = await createKey();
    const other = await createKey();
    const suspended = "this API key is suspended: its owner is deactivated or no longer allowed to use API keys";
    // A role change that keeps keys allowed (or an older sender that does not say) leaves the keys alone.
    bus.broadcast(UsersChanged, { userId: a.userId, change: "role_changed" });
    bus.broadcast(UsersChanged, { userId: a.userId, change: "role_changed", keysAllowed: true });
    bus.broadcast(UsersChanged, { userId: a.userId, change: "role_changed", keysAllowed: false });
    await waitFor(() => changes.some((c) => c.change === "suspended" && c.keyId === a.key.id), { what: "the key suspended" });
    await expectRefused(a.plaintext, suspended);
    expect((await verify(other.plaintext)).key.status).toBe("active");
    await waitFor(() => auditsFor(a.key.id, "key.suspended").length === 1, { what: "the suspension record" });

    // Reactivation does not lift a suspension the user's roles still call for.
    bus.broadcast(UsersChanged, { userId: a.userId, change: "reactivated", keysAllowed: false });
    bus.broadcast(UsersChanged, { userId: a.userId, change: "role_changed", keysAllowed: true });
    await waitFor(async () => (await verify(a.plaintext).catch(() => null))?.key.status === "active", { what: "restored" });
    expect(auditsFor(a.key.id, "key.suspended")).toHaveLength(1);
    await waitFor(() => auditsFor(a.key.id, "key.restored").length === 1, { what: "the restore record" });
  });

  it("keeps a reactivated user's keys suspended when their roles allow no keys", async () => {
    const a = await createKey();
    bus.broadcast(UsersChanged, { userId: a.userId, change: "deactivated", keysAllowed: false });
    await waitFor(() => changes.some((c) => c.change === "suspended" && c.keyId === a.key.id), { what: "the key suspended" });
    bus.broadcast(UsersChanged, { userId: a.userId, change: "reactivated", keysAllowed: false });
    // A later event for the same user is handled after this one: once it is, the reactivation was seen and ignored.
    const marker = await createKey({ userId: a.userId });
    bus.broadcast(UsersChanged, { userId: a.userId, change: "role_changed", keysAllowed: false });
    await waitFor(() => changes.some((c) => c.change === "suspended" && c.keyId === marker.key.id), { what: "the marker" });
    await expectRefused(a.plaintext, "this API key is suspended: its owner is deactivated or no longer allowed to use API keys");
  });

  it("revokes a deleted user's keys, and a removed team member's keys of that team only", async () => {
    const teamA = randomUUID();
    const member = await createKey({ teamId: teamA });
    const personal = await createKey({ userId: member.userId });
    const otherTeam = await createKey({ userId: member.userId, teamId: randomUUID() });
    bus.broadcast(UsersChanged, { userId: member.userId, change: "team_removed", teamId: teamA });
    await waitFor(async () => (await verify(member.plaintext).catch((e: Error) => e)) instanceof Error, { what: "team key off" });
    await expectRefused(member.plaintext, "this API key has been revoked");
    expect((await verify(personal.plaintext)).key.status).toBe("active");
    expect((await verify(otherTeam.plaintext)).key.status).toBe("active");
    expect((await bus.request(KeysGet, { id: member.key.id, actor: member.actor })).key.revokedReason).toBe("team_removed");
    bus.broadcast(UsersChanged, { userId: member.userId, change: "deleted" });
    await waitFor(async () => (await verify(personal.plaintext).catch((e: Error) => e)) instanceof Error, { what: "all off" });
    await expectRefused(otherTeam.plaintext, "this API key has been revoked");
  });
});

describe("secrets", () => {
  it("keeps no plaintext key in the database", async () => {
    expect(plaintexts.length).toBeGreaterThan(10);
    const rows = await sql`select * from api_keys`;
    const dump = JSON.stringify(rows);
    for (const plaintext of plaintexts) {
      expect(dump).not.toContain(plaintext);
      expect(dump).not.toContain(plaintext.slice(3));
    }
    const audited = JSON.stringify([...audits.values()]);
    for (const plaintext of plaintexts) expect(audited).not.toContain(plaintext.slice(3));
  });
});
