/**
 * Console sessions on a fake clock: the access token expires after its TTL, a refresh rotates the single-use refresh
 * token (HttpOnly, SameSite=Strict cookie on /api/auth), a reused refresh token revokes the whole session, sessions
 * are bound to the client address (X-Forwarded-For believed only from trusted proxies), and logout, "revoke all",
 * an admin's revocation and a password change end sessions at once.
 */
import { createFakeClock, waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminHarness, startAdminHarness } from "./support/admin-harness.js";
import { call, createUser, login, setupSuperAdmin } from "./support/console-http.js";

const PASSWORD = "Sess-passw0rd";
const clock = createFakeClock();
let h: AdminHarness;
const requestId = expect.any(String);
const ACCESS_TTL = 900;
const REFRESH_TTL = 3600;

beforeAll(async () => {
  h = await startAdminHarness({
    clock,
    settings: {
      auth: { accessTokenTtlSeconds: ACCESS_TTL, refreshTokenTtlSeconds: REFRESH_TTL, sessionIpBinding: true },
      security: { trustedProxies: ["127.0.0.1"] },
    },
  });
  const root = await setupSuperAdmin(h.url, "root@example.com", PASSWORD);
  await createUser(h.url, root.accessToken, { email: "sam@example.com", role: "developer", password: PASSWORD });
});

afterAll(async () => {
  await h?.stop();
});

/** A fresh admin session: the fake clock moves past token lifetimes between tests. */
const admin = async () => (await login(h.url, "root@example.com", PASSWORD)).accessToken;

const me = (token: string, forwardedFor?: string) =>
  call(h.url, "GET", "/api/auth/me", { token, ...(forwardedFor === undefined ? {} : { forwardedFor }) });

describe("refresh tokens", () => {
  it("sets the refresh cookie HttpOnly, SameSite=Strict on /api/auth, and Secure behind TLS", async () => {
    const plain = await call(h.url, "POST", "/api/auth/login", { body: { email: "sam@example.com", password: PASSWORD } });
    const line = plain.setCookie.find((l) => l.startsWith("tw_refresh="));
    expect(line).toMatch(/; Max-Age=3600; Path=\/api\/auth; HttpOnly; SameSite=Strict$/);
    const tls = await call(h.url, "POST", "/api/auth/login", {
      body: { email: "sam@example.com", password: PASSWORD },
      headers: { "x-forwarded-proto": "https" },
    });
    expect(tls.setCookie.find((l) => l.startsWith("tw_refresh="))).toMatch(
      /; Path=\/api\/auth; HttpOnly; Secure; SameSite=Strict$/,
    );
  });

  it("expires the access token after its TTL and rotates the refresh token on each refresh", async () => {
    const sam = await login(h.url, "sam@example.com", PASSWORD);
    clock.advance((ACCESS_TTL + 1) * 1000);
    const expired = await me(sam.accessToken);
    expect(expired.body).toEqual({
      error: { code: "unauthenticated", message: "the access token is missing, invalid or expired; log in again", requestId },
    });
    const first = await call<{ accessToken: string; sessionId: string }>(h.url, "POST", "/api/auth/refresh", {
      refreshCookie: sam.refreshCookie,
    });
    expect(first.status).toBe(200);
    expect(first.body.sessionId).toBe(sam.sessionId);
    expect(first.refreshCookie).not.toBe(sam.refreshCookie);
    expect((await me(first.body.accessToken)).status).toBe(200);

    const second = await call<{ accessToken: string }>(h.url, "POST", "/api/auth/refresh", {
      refreshCookie: first.refreshCookie,
    });
    expect(second.status).toBe(200);
    // Refreshing slides the session; an idle session ends with its refresh token.
    clock.advance((REFRESH_TTL + 1) * 1000);
    const stale = await call(h.url, "POST", "/api/auth/refresh", { refreshCookie: second.refreshCookie });
    expect(stale.status).toBe(401);
    expect(stale.body).toEqual({
      error: { code: "unauthenticated", message: "the refresh token is invalid or expired; log in again", requestId },
    });
    expect(stale.refreshCookie).toBe("");
  });

  it("revokes the whole session when a used refresh token comes back, and records it", async () => {
    const sam = await login(h.url, "sam@example.com", PASSWORD);
    const rotated = await call<{ accessToken: string }>(h.url, "POST", "/api/auth/refresh", { refreshCookie: sam.refreshCookie });
    expect(rotated.status).toBe(200);

    const replay = await call(h.url, "POST", "/api/auth/refresh", { refreshCookie: sam.refreshCookie });
    expect(replay.body).toEqual({
      error: {
        code: "unauthenticated",
        message: "this refresh token was already used; the session has been ended for safety; log in again",
        requestId,
      },
    });
    // The legitimate holder's newer token and access token die with the family.
    expect((await call(h.url, "POST", "/api/auth/refresh", { refreshCookie: rotated.refreshCookie })).status).toBe(401);
    expect((await me(rotated.body.accessToken)).body).toEqual({
      error: { code: "unauthenticated", message: "this session has ended; log in again", requestId },
    });
    const record = await waitFor(
      () => h.audit.find((r) => r.action === "session.refresh_reused" && r.target?.id === sam.sessionId),
      {
        what: "reuse audit record",
      },
    );
    expect(record).toMatchObject({ category: "auth", outcome: "denied", actor: { kind: "user", id: sam.userId } });
  });

  it("lets exactly one of two concurrent refreshes with the same token win", async () => {
    const sam = await login(h.url, "sam@example.com", PASSWORD);
    const results = await Promise.all(
      [0, 1].map(() => call(h.url, "POST", "/api/auth/refresh", { refreshCookie: sam.refreshCookie })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });
});

describe("IP binding", () => {
  it("accepts a session only from the address it was opened from, as reported by a trusted proxy", async () => {
    const sam = await login(h.url, "sam@example.com", PASSWORD, { forwardedFor: "203.0.113.7" });
    expect((await me(sam.accessToken, "203.0.113.7")).status).toBe(200);
    // A proxy chain: the rightmost address that is not a trusted proxy is the client.
    expect((await me(sam.accessToken, "198.51.100.1, 203.0.113.7")).status).toBe(200);
    const moved = await me(sam.accessToken, "198.51.100.9");
    expect(moved.body).toEqual({
      error: { code: "unauthenticated", message: "this session belongs to another network address; log in again", requestId },
    });
    const refreshElsewhere = await call(h.url, "POST", "/api/auth/refresh", {
      refreshCookie: sam.refreshCookie,
      forwardedFor: "198.51.100.9",
    });
    expect(refreshElsewhere.status).toBe(401);
    await waitFor(() => h.audit.find((r) => r.action === "session.ip_mismatch"), { what: "ip mismatch audit" });
    // Refused without using the token up: the rightful address can still refresh.
    const refreshHome = await call(h.url, "POST", "/api/auth/refresh", {
      refreshCookie: sam.refreshCookie,
      forwardedFor: "203.0.113.7",
    });
    expect(refreshHome.status).toBe(200);
    const sessions = await call<{ sessions: Array<{ id: string; ip: string }> }>(h.url, "GET", "/api/auth/sessions", {
      token: sam.accessToken,
      forwardedFor: "203.0.113.7",
    });
    expect(sessions.body.sessions.find((s) => s.id === sam.sessionId)?.ip).toBe("203.0.113.7");
  });

  it("ignores X-Forwarded-For from an untrusted peer, and binds nothing when binding is off", async () => {
    const token = await admin();
    const untrust = await call(h.url, "PUT", "/api/admin/settings/security", { token, body: { trustedProxies: [] } });
    expect(untrust.status).toBe(200);
    const spoofed = await waitFor(
      async () => {
        const attempt = await login(h.url, "sam@example.com", PASSWORD, { forwardedFor: "192.0.2.50" });
        const list = await call<{ sessions: Array<{ id: string; ip: string }> }>(h.url, "GET", "/api/auth/sessions", {
          token: attempt.accessToken,
        });
        return list.body.sessions.find((s) => s.id === attempt.sessionId)?.ip === "127.0.0.1" ? attempt : null;
      },
      { what: "trusted proxies cleared" },
    );
    expect((await me(spoofed.accessToken, "192.0.2.51")).status).toBe(200);

    const off = await call(h.url, "PUT", "/api/admin/settings/auth", {
      token,
      body: { accessTokenTtlSeconds: ACCESS_TTL, refreshTokenTtlSeconds: REFRESH_TTL, sessionIpBinding: false },
    });
    expect(off.status).toBe(200);
    const restore = await call(h.url, "PUT", "/api/admin/settings/security", { token, body: { trustedProxies: ["127.0.0.1"] } });
    expect(restore.status).toBe(200);
    const bound = await login(h.url, "sam@example.com", PASSWORD, { forwardedFor: "203.0.113.8" });
    await waitFor(async () => (await me(bound.accessToken, "198.51.100.20")).status === 200, { what: "binding off" });
    await call(h.url, "PUT", "/api/admin/settings/auth", {
      token,
      body: { sessionIpBinding: true, accessTokenTtlSeconds: ACCESS_TTL, refreshTokenTtlSeconds: REFRESH_TTL },
    });
    await waitFor(async () => (await me(bound.accessToken, "198.51.100.20")).status === 401, { what: "binding back on" });
  });
});

describe("ending sessions", () => {
  it("lists own sessions, ends one, logs out, and revokes all", async () => {
    const a = await login(h.url, "sam@example.com", PASSWORD);
    const b = await login(h.url, "sam@example.com", PASSWORD);
    const listed = await call<{ sessions: Array<{ id: string; current: boolean }> }>(h.url, "GET", "/api/auth/sessions", {
      token: a.accessToken,
    });
    expect(listed.body.sessions.find((s) => s.id === a.sessionId)?.current).toBe(true);
    expect(listed.body.sessions.find((s) => s.id === b.sessionId)?.current).toBe(false);

    expect((await call(h.url, "DELETE", `/api/auth/sessions/${b.sessionId}`, { token: a.accessToken })).status).toBe(200);
    expect((await me(b.accessToken)).status).toBe(401);
    expect((await me(a.accessToken)).status).toBe(200);

    const out = await call(h.url, "POST", "/api/auth/logout", { token: a.accessToken });
    expect(out.status).toBe(204);
    expect(out.refreshCookie).toBe("");
    expect((await me(a.accessToken)).status).toBe(401);
    expect((await call(h.url, "POST", "/api/auth/refresh", { refreshCookie: a.refreshCookie })).status).toBe(401);

    const c = await login(h.url, "sam@example.com", PASSWORD);
    const d = await login(h.url, "sam@example.com", PASSWORD);
    const all = await call<{ sessionsEnded: number }>(h.url, "DELETE", "/api/auth/sessions", { token: c.accessToken });
    expect(all.body.sessionsEnded).toBeGreaterThanOrEqual(2);
    expect((await me(c.accessToken)).status).toBe(401);
    expect((await me(d.accessToken)).status).toBe(401);
  });

  it("lets an admin end a user's sessions", async () => {
    const token = await admin();
    const sam = await login(h.url, "sam@example.com", PASSWORD);
    const ended = await call<{ sessionsEnded: number }>(h.url, "DELETE", `/api/admin/users/${sam.userId}/sessions`, { token });
    expect(ended.status).toBe(200);
    expect((await me(sam.accessToken)).status).toBe(401);
  });

  it("changes the password only with the current one and ends the other sessions", async () => {
    const here = await login(h.url, "sam@example.com", PASSWORD);
    const elsewhere = await login(h.url, "sam@example.com", PASSWORD);
    const wrong = await call(h.url, "POST", "/api/auth/password", {
      token: here.accessToken,
      body: { currentPassword: "Not-the-pass1", newPassword: "New-passw0rd" },
    });
    expect(wrong.body).toEqual({ error: { code: "forbidden", message: "the current password is wrong", requestId } });
    const weak = await call(h.url, "POST", "/api/auth/password", {
      token: here.accessToken,
      body: { currentPassword: PASSWORD, newPassword: "weak" },
    });
    expect(weak.status).toBe(400);
    const changed = await call(h.url, "POST", "/api/auth/password", {
      token: here.accessToken,
      body: { currentPassword: PASSWORD, newPassword: "New-passw0rd" },
    });
    expect(changed.status).toBe(200);
    expect((await me(here.accessToken)).status).toBe(200);
    expect((await me(elsewhere.accessToken)).status).toBe(401);
    await login(h.url, "sam@example.com", "New-passw0rd");
    expect(JSON.stringify(h.audit)).not.toContain("New-passw0rd");
  });
});
