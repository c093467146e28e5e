/**
 * Authorization follows the user's current state: deactivating, deleting or re-roling a signed-in user takes effect
 * on their very next console call — on this replica and on another one (UsersChanged invalidates every replica's
 * cache) — their sessions end, and UsersChanged is broadcast for key-service to stop their keys.
 */
import { waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminHarness, startAdminHarness } from "./support/admin-harness.js";
import { call, createUser, login, setupSuperAdmin } from "./support/console-http.js";

const PASSWORD = "Dev-passw0rd";
let h: AdminHarness;
let root: string;
const requestId = expect.any(String);

beforeAll(async () => {
  h = await startAdminHarness();
  root = (await setupSuperAdmin(h.url)).accessToken;
});

afterAll(async () => {
  await h?.stop();
});

describe("deactivation", () => {
  it("turns a signed-in user's next console call into 401, ends their sessions and broadcasts UsersChanged", async () => {
    const id = await createUser(h.url, root, { email: "dana@example.com", role: "developer", password: PASSWORD });
    const dana = await login(h.url, "dana@example.com", PASSWORD);
    expect((await call(h.url, "GET", "/api/keys", { token: dana.accessToken })).status).toBe(200);

    const patched = await call(h.url, "PATCH", `/api/admin/users/${id}`, { token: root, body: { active: false } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ user: { id, active: false } });

    const next = await call(h.url, "POST", "/api/keys", { token: dana.accessToken, body: { name: "after-deactivation" } });
    expect(next.status).toBe(401);
    expect(next.body).toEqual({ error: { code: "unauthenticated", message: "this session has ended; log in again", requestId } });
    expect((await call(h.url, "POST", "/api/auth/refresh", { refreshCookie: dana.refreshCookie })).status).toBe(401);
    const relogin = await call(h.url, "POST", "/api/auth/login", { body: { email: "dana@example.com", password: PASSWORD } });
    expect(relogin.body).toEqual({ error: { code: "unauthenticated", message: "wrong email or password", requestId } });

    await waitFor(() => h.usersChanged.some((e) => e.userId === id && e.change === "deactivated"), {
      what: "UsersChanged deactivated",
    });
    const record = await waitFor(() => h.audit.find((r) => r.action === "user.deactivated" && r.target?.id === id), {
      what: "audit",
    });
    expect(record).toMatchObject({
      category: "admin",
      before: { active: true },
      after: { active: false },
      details: { sessionsEnded: 1 },
    });
    expect(JSON.stringify(record)).not.toMatch(/argon2|passwordHash/);

    const reactivated = await call(h.url, "PATCH", `/api/admin/users/${id}`, { token: root, body: { active: true } });
    expect(reactivated.body).toMatchObject({ user: { active: true } });
    await waitFor(() => h.usersChanged.some((e) => e.userId === id && e.change === "reactivated"), {
      what: "UsersChanged reactivated",
    });
    const again = await login(h.url, "dana@example.com", PASSWORD);
    expect((await call(h.url, "GET", "/api/auth/me", { token: again.accessToken })).status).toBe(200);
  });

  it("ends a deleted user's access at once and frees their email", async () => {
    const id = await createUser(h.url, root, { email: "del@example.com", role: "viewer", password: PASSWORD });
    const user = await login(h.url, "del@example.com", PASSWORD);
    expect((await call(h.url, "DELETE", `/api/admin/users/${id}`, { token: root })).status).toBe(204);
    expect((await call(h.url, "GET", "/api/auth/me", { token: user.accessToken })).status).toBe(401);
    expect((await call(h.url, "GET", `/api/admin/users/${id}`, { token: root })).status).toBe(404);
    await waitFor(() => h.usersChanged.some((e) => e.userId === id && e.change === "deleted"), { what: "UsersChanged deleted" });
    await createUser(h.url, root, { email: "del@example.com", role: "viewer", password: PASSWORD });
  });

  it("applies a role change made on one replica to the next call on another replica (UsersChanged invalidation)", async () => {
    const replica = await h.addReplica();
    try {
      const id = await createUser(h.url, root, { email: "riley@example.com", role: "developer", password: PASSWORD });
      const riley = await login(replica.url, "riley@example.com", PASSWORD);
      // Warm the other replica's cache with the developer's access.
      expect((await call(replica.url, "GET", "/api/admin/teams", { token: riley.accessToken })).status).toBe(403);
      const promoted = await call(h.url, "PATCH", `/api/admin/users/${id}`, { token: root, body: { role: "team_manager" } });
      expect(promoted.status).toBe(200);
      // The cache's safety-net TTL is 30 s; seeing the change within 1 s proves the broadcast invalidated it.
      await waitFor(
        async () => (await call(replica.url, "GET", "/api/admin/teams", { token: riley.accessToken })).status === 200,
        {
          timeoutMs: 1000,
          what: "the promotion on the other replica",
        },
      );
      const demoted = await call(h.url, "PATCH", `/api/admin/users/${id}`, { token: root, body: { role: "viewer" } });
      expect(demoted.status).toBe(200);
      // A demotion also ends the user's sessions: the other replica refuses the token outright.
      await waitFor(async () => (await call(replica.url, "GET", "/api/auth/me", { token: riley.accessToken })).status === 401, {
        timeoutMs: 1000,
        what: "the demotion on the other replica",
      });
      expect(h.usersChanged.filter((e) => e.userId === id).map((e) => e.change)).toEqual(["role_changed", "role_changed"]);
    } finally {
      await replica.stop();
    }
  });
});
