/**
 * User, team and role administration through the console API: creating users with a password or an invitation,
 * search and paging, the last Super Admin (also under concurrent requests), team managers confined to their teams,
 * custom roles with global or team scope, no privilege escalation, and hostile input answered with 400s.
 */
import { waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminHarness, startAdminHarness } from "./support/admin-harness.js";
import { call, createUser, login, setupSuperAdmin } from "./support/console-http.js";

const PASSWORD = "Admin-passw0rd";
let h: AdminHarness;
let root: string;
const requestId = expect.any(String);

beforeAll(async () => {
  h = await startAdminHarness();
  root = (await setupSuperAdmin(h.url, "root@example.com", PASSWORD)).accessToken;
});

afterAll(async () => {
  await h?.stop();
});

const as = (token: string) => ({
  get: <T = Record<string, unknown>>(path: string) => call<T>(h.url, "GET", path, { token }),
  post: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>(h.url, "POST", path, { token, body }),
  patch: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>(h.url, "PATCH", path, { token, body }),
  del: (path: string) => call(h.url, "DELETE", path, { token }),
});

describe("users", () => {
  it("creates a user with a password, refuses a duplicate email, and never returns a hash", async () => {
    const created = await as(root).post("/api/admin/users", {
      email: "  Vera@Example.com ",
      displayName: "Vera",
      role: "viewer",
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      user: {
        id: expect.any(String),
        email: "vera@example.com",
        displayName: "Vera",
        role: "viewer",
        active: true,
        hasPassword: true,
        createdAt: expect.any(String),
      },
    });
    const duplicate = await as(root).post("/api/admin/users", { email: "vera@example.com", role: "viewer", password: PASSWORD });
    expect(duplicate.body).toEqual({
      error: { code: "conflict", message: "a user with email vera@example.com already exists", requestId },
    });
    const weak = await as(root).post("/api/admin/users", { email: "weak@example.com", role: "viewer", password: "short" });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({
      error: { code: "validation_failed", details: { fields: { password: "password must be at least 8 characters" } } },
    });
  });

  it("invites a user who sets their own password once, before the link expires", async () => {
    const created = await as(root).post<{ user: { id: string; hasPassword: boolean }; invite: { token: string; url: string } }>(
      "/api/admin/users",
      {
        email: "ivan@example.com",
        role: "developer",
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.user.hasPassword).toBe(false);
    expect(created.body.invite.url).toBe(`${h.url}/invite#token=${created.body.invite.token}`);
    const noPassword = await call(h.url, "POST", "/api/auth/login", { body: { email: "ivan@example.com", password: "" } });
    expect(noPassword.status).toBe(401);
    const weak = await call(h.url, "POST", "/api/auth/invite/accept", {
      body: { token: created.body.invite.token, password: "weak" },
    });
    expect(weak.status).toBe(400);
    const accepted = await call(h.url, "POST", "/api/auth/invite/accept", {
      body: { token: created.body.invite.token, password: PASSWORD },
    });
    expect(accepted.body).toEqual({ userId: created.body.user.id });
    await login(h.url, "ivan@example.com", PASSWORD);
    const again = await call(h.url, "POST", "/api/auth/invite/accept", {
      body: { token: created.body.invite.token, password: PASSWORD },
    });
    expect(again.body).toEqual({
      error: { code: "bad_request", message: "this invitation is invalid, used or expired; ask for a new one", requestId },
    });
  });

  it("searches and pages the user list", async () => {
    for (let i = 0; i < 5; i += 1)
      await createUser(h.url, root, { email: `pager${i}@example.com`, role: "viewer", password: PASSWORD });
    const page = await as(root).get<{ users: Array<{ email: string }>; total: number; page: number; pageSize: number }>(
      "/api/admin/users?search=PAGER&page=2&pageSize=2",
    );
    expect(page.body).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page.body.users.map((u) => u.email)).toEqual(["pager2@example.com", "pager3@example.com"]);
    const wildcard = await as(root).get<{ total: number }>("/api/admin/users?search=%25");
    expect(wildcard.body.total).toBe(0);
  });
});

describe("the last active Super Admin", () => {
  it("cannot deactivate, demote or delete themselves", async () => {
    const me = await as(root).get<{ user: { id: string } }>("/api/auth/me");
    const id = me.body.user.id;
    for (const [method, body] of [
      ["PATCH", { active: false }],
      ["PATCH", { role: "admin" }],
    ] as const) {
      const response = await call(h.url, method, `/api/admin/users/${id}`, { token: root, body });
      expect(response.status).toBe(403);
    }
    expect((await as(root).del(`/api/admin/users/${id}`)).status).toBe(403);
  });

  it.each([
    ["deactivate", "PATCH", { active: false }],
    ["demote", "PATCH", { role: "admin" }],
    ["delete", "DELETE", undefined],
  ] as const)("survives two super admins who %s each other at the same time", async (verb, method, body) => {
    const a = `sa-${verb}-a@example.com`;
    const b = `sa-${verb}-b@example.com`;
    const aId = await createUser(h.url, root, { email: a, role: "super_admin", password: PASSWORD });
    const bId = await createUser(h.url, root, { email: b, role: "super_admin", password: PASSWORD });
    // Leave a and b as the only active super admins.
    const rootId = (await as(root).get<{ user: { id: string } }>("/api/auth/me")).body.user.id;
    const aToken = (await login(h.url, a, PASSWORD)).accessToken;
    const bToken = (await login(h.url, b, PASSWORD)).accessToken;
    expect((await as(aToken).patch(`/api/admin/users/${rootId}`, { active: false })).status).toBe(200);
    try {
      const [first, second] = await Promise.all([
        call(h.url, method, `/api/admin/users/${bId}`, { token: aToken, ...(body === undefined ? {} : { body }) }),
        call(h.url, method, `/api/admin/users/${aId}`, { token: bToken, ...(body === undefined ? {} : { body }) }),
      ]);
      const statuses = [first.status, second.status];
      expect(statuses.filter((s) => s === 200 || s === 204)).toHaveLength(1);
      // The loser is refused under the lock (409). When the winner's change landed before the loser's request was
      // authorised, the loser is signed out (401: deactivated or deleted, or demoted and its sessions already ended)
      // or, demoted with its session not yet ended, no longer holds what changing a Super Admin takes (403).
      const loser = first.status === 200 || first.status === 204 ? second : first;
      const refusals: Record<number, string> = {
        401: "unauthenticated",
        403: "forbidden",
        409: "conflict",
      };
      expect(Object.keys(refusals).map(Number), JSON.stringify(loser.body)).toContain(loser.status);
      expect((loser.body as { error?: { code?: string } }).error?.code).toBe(refusals[loser.status]);
      if (loser.status === 403) expect(verb).toBe("demote");
      if (loser.status === 409) {
        expect(loser.body).toEqual({
          error: {
            code: "conflict",
            message: expect.stringMatching(/^the last active Super Admin cannot be (deactivated|demoted|deleted)$/),
            requestId,
          },
        });
      }
      const survivor = loser === first ? bToken : aToken;
      const listed = await as(survivor).get<{ users: Array<{ role: string; active: boolean }> }>("/api/admin/users?pageSize=200");
      expect(listed.body.users.filter((u) => u.role === "super_admin" && u.active)).toHaveLength(1);
      expect((await as(survivor).patch(`/api/admin/users/${rootId}`, { active: true })).status).toBe(200);
    } finally {
      // Bring root back even when an assertion above failed before the survivor did; whichever of a and b is still a
      // Super Admin succeeds, the other is refused.
      for (const token of [aToken, bToken]) await as(token).patch(`/api/admin/users/${rootId}`, { active: true });
      root = (await login(h.url, "root@example.com", PASSWORD)).accessToken;
      // Leave root the only super admin again for the next case.
      for (const id of [aId, bId]) await as(root).del(`/api/admin/users/${id}`);
    }
  });
});

describe("teams and team managers", () => {
  let teamA: string;
  let teamB: string;
  let manager: string;
  let devId: string;
  let dev: string;
  let outsiderId: string;

  beforeAll(async () => {
    teamA = (await as(root).post<{ team: { id: string } }>("/api/admin/teams", { name: "Team A", description: "first" })).body
      .team.id;
    teamB = (await as(root).post<{ team: { id: string } }>("/api/admin/teams", { name: "Team B" })).body.team.id;
    await createUser(h.url, root, { email: "tm@example.com", role: "team_manager", password: PASSWORD });
    devId = await createUser(h.url, root, { email: "dev-a@example.com", role: "developer", password: PASSWORD });
    outsiderId = await createUser(h.url, root, { email: "dev-b@example.com", role: "developer", password: PASSWORD });
    expect(
      (await as(root).post(`/api/admin/teams/${teamA}/members`, { email: "tm@example.com", teamRole: "manager" })).status,
    ).toBe(201);
    expect((await as(root).post(`/api/admin/teams/${teamA}/members`, { userId: devId })).status).toBe(201);
    expect((await as(root).post(`/api/admin/teams/${teamB}/members`, { userId: outsiderId })).status).toBe(201);
    manager = (await login(h.url, "tm@example.com", PASSWORD)).accessToken;
    dev = (await login(h.url, "dev-a@example.com", PASSWORD)).accessToken;
  });

  it("shows a team manager only their teams and their teams' members", async () => {
    const teams = await as(manager).get<{ teams: Array<{ id: string; memberCount: number }> }>("/api/admin/teams");
    expect(teams.body.teams).toEqual([expect.objectContaining({ id: teamA, name: "Team A", memberCount: 2 })]);
    expect((await as(manager).get(`/api/admin/teams/${teamB}`)).body).toEqual({
      error: { code: "forbidden", message: "this needs the teams:read permission in this team", requestId },
    });
    const users = await as(manager).get<{ users: Array<{ email: string }> }>("/api/admin/users");
    expect(users.body.users.map((u) => u.email)).toEqual(["dev-a@example.com", "tm@example.com"]);
    expect((await as(manager).get(`/api/admin/users/${outsiderId}`)).status).toBe(404);
    expect((await as(manager).get(`/api/admin/users/${devId}`)).status).toBe(200);
    expect((await as(manager).post("/api/admin/teams", { name: "Rogue" })).status).toBe(403);
    expect((await as(manager).patch(`/api/admin/teams/${teamB}`, { name: "Mine now" })).status).toBe(403);
  });

  it("lets a team manager manage their team's members; removal ends the member's sessions and is broadcast", async () => {
    const added = await as(manager).post<{ members: Array<{ email: string; teamRole: string }> }>(
      `/api/admin/teams/${teamA}/members`,
      {
        email: "vera@example.com",
      },
    );
    expect(added.status).toBe(201);
    expect(added.body.members.map((m) => `${m.email}:${m.teamRole}`)).toEqual([
      "dev-a@example.com:member",
      "tm@example.com:manager",
      "vera@example.com:member",
    ]);
    expect((await as(manager).del(`/api/admin/teams/${teamA}/members/${devId}`)).status).toBe(204);
    expect((await as(dev).get("/api/auth/me")).status).toBe(401);
    await waitFor(() => h.usersChanged.some((e) => e.userId === devId && e.change === "team_removed" && e.teamId === teamA), {
      what: "team_removed broadcast",
    });
    const record = await waitFor(() => h.audit.find((r) => r.action === "team_member.removed" && r.target?.id === devId), {
      what: "audit",
    });
    expect(record).toMatchObject({ teamId: teamA, before: { teamRole: "member" } });
  });
});

describe("roles", () => {
  it("lists the five built-in roles read-only and manages custom roles", async () => {
    const roles = await as(root).get<{ roles: Array<{ id: string; builtIn: boolean }> }>("/api/admin/roles");
    expect(roles.body.roles.filter((r) => r.builtIn).map((r) => r.id)).toEqual([
      "super_admin",
      "admin",
      "team_manager",
      "developer",
      "viewer",
    ]);
    expect((await as(root).patch("/api/admin/roles/admin", { name: "Boss" })).body).toEqual({
      error: { code: "forbidden", message: "admin is a built-in role; built-in roles are read-only", requestId },
    });
    const unknown = await as(root).post("/api/admin/roles", { name: "Bad", permissions: ["logs:read", "nuclear:launch"] });
    expect(unknown.body).toEqual({
      error: {
        code: "validation_failed",
        message: "unknown permissions: nuclear:launch",
        requestId,
        details: { fields: { permissions: "unknown permissions: nuclear:launch" } },
      },
    });
  });

  it("grants a custom role globally or within one team, and ends holders' sessions when it is deleted", async () => {
    const auditor = await as(root).post<{ role: { id: string } }>("/api/admin/roles", {
      name: "Auditor",
      description: "reads all logs",
      permissions: ["logs:read_all", "analytics:read_all"],
    });
    expect(auditor.status).toBe(201);
    const teamEditor = await as(root).post<{ role: { id: string } }>("/api/admin/roles", {
      name: "Team editor",
      permissions: ["teams:read", "teams:write", "providers:write"],
    });
    const viewerId = await createUser(h.url, root, { email: "victor@example.com", role: "viewer", password: PASSWORD });
    const team = (await as(root).post<{ team: { id: string } }>("/api/admin/teams", { name: "Team C" })).body.team.id;
    const other = (await as(root).post<{ team: { id: string } }>("/api/admin/teams", { name: "Team D" })).body.team.id;
    expect((await as(root).post(`/api/admin/users/${viewerId}/roles`, { roleId: auditor.body.role.id })).status).toBe(201);
    expect(
      (await as(root).post(`/api/admin/users/${viewerId}/roles`, { roleId: teamEditor.body.role.id, teamId: team })).status,
    ).toBe(201);

    const victor = (await login(h.url, "victor@example.com", PASSWORD)).accessToken;
    const me = await as(victor).get<{ user: { permissions: string[] } }>("/api/auth/me");
    expect(me.body.user.permissions).toEqual(expect.arrayContaining(["logs:read_all", "analytics:read_all"]));
    expect(me.body.user.permissions).not.toContain("teams:write");
    expect((await as(victor).patch(`/api/admin/teams/${team}`, { description: "edited by a team editor" })).status).toBe(200);
    expect((await as(victor).patch(`/api/admin/teams/${other}`, { description: "not mine" })).status).toBe(403);
    // A team-scoped grant of a permission that is not about teams opens nothing outside that team.
    expect((await as(victor).post("/api/admin/providers", {})).body).toEqual({
      error: { code: "forbidden", message: "this needs the providers:write permission", requestId },
    });

    expect((await as(root).del(`/api/admin/roles/${auditor.body.role.id}`)).status).toBe(204);
    expect((await as(victor).get("/api/auth/me")).status).toBe(401);
    await waitFor(() => h.usersChanged.some((e) => e.userId === viewerId && e.change === "role_changed"), {
      what: "role_changed",
    });
  });

  it("refuses to let an admin grant what they do not hold", async () => {
    await createUser(h.url, root, { email: "adam@example.com", role: "admin", password: PASSWORD });
    const adam = (await login(h.url, "adam@example.com", PASSWORD)).accessToken;
    const promote = await as(adam).post("/api/admin/users", {
      email: "sneaky@example.com",
      role: "super_admin",
      password: PASSWORD,
    });
    expect(promote.body).toEqual({
      error: {
        code: "forbidden",
        message: "you cannot grant the super_admin role: it includes permissions you do not hold (roles:write)",
        requestId,
      },
    });
    expect((await as(adam).post("/api/admin/roles", { name: "Mine", permissions: ["logs:read"] })).status).toBe(403);
    const rootId = (await as(root).get<{ user: { id: string } }>("/api/auth/me")).body.user.id;
    expect((await as(adam).patch(`/api/admin/users/${rootId}`, { active: false })).status).toBe(403);
  });
});

describe("hostile input", () => {
  const huge = "a".repeat(200_000);
  it.each([
    [
      "a NUL byte in the login email",
      "/api/auth/login",
      { email: "root\u0000@example.com", password: PASSWORD },
      { email: "must not contain NUL characters" },
    ],
    [
      "a NUL byte in the login password",
      "/api/auth/login",
      { email: "root@example.com", password: "Pa\u0000ss-word1" },
      { password: "must not contain NUL characters" },
    ],
    [
      "a huge login email",
      "/api/auth/login",
      { email: huge, password: PASSWORD },
      { email: "email must be at most 320 characters" },
    ],
    [
      "a wrongly typed login",
      "/api/auth/login",
      { email: 42, password: ["x"] },
      { email: "email is required", password: "password is required" },
    ],
  ])("answers %s with 400 and the standard body", async (_what, path, body, fields) => {
    const response = await call(h.url, "POST", path, { body });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: { code: "validation_failed", message: expect.stringContaining("invalid request"), requestId, details: { fields } },
    });
  });

  it.each([
    [
      "a NUL byte in a display name",
      { email: "nul@example.com", role: "viewer", displayName: "Eve\u0000", password: PASSWORD },
      { displayName: "must not contain NUL characters" },
    ],
    [
      "a huge display name",
      { email: "big@example.com", role: "viewer", displayName: huge, password: PASSWORD },
      { displayName: "displayName must be at most 200 characters" },
    ],
    [
      "an unknown role",
      { email: "r@example.com", role: "god", password: PASSWORD },
      { role: "role must be one of super_admin, admin, team_manager, developer, viewer" },
    ],
  ])("refuses %s when creating a user", async (_what, body, fields) => {
    const response = await as(root).post("/api/admin/users", body);
    expect(response.body).toEqual({
      error: { code: "validation_failed", message: expect.stringContaining("invalid request"), requestId, details: { fields } },
    });
  });

  it("answers malformed JSON, NUL in query and path, and oversized bodies with 4xx", async () => {
    const malformed = await call(h.url, "POST", "/api/admin/users", { token: root, body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: { code: "bad_request", requestId } });
    expect((await as(root).get("/api/admin/users?search=a%00b")).status).toBe(400);
    const badId = await as(root).get("/api/admin/users/not-a-uuid%00");
    expect(badId.body).toEqual({
      error: {
        code: "validation_failed",
        message: "invalid request: (body): user id must be a UUID",
        requestId,
        details: { fields: { "(body)": "user id must be a UUID" } },
      },
    });
    const oversized = await call(h.url, "POST", "/api/auth/login", {
      body: JSON.stringify({ email: "a@b.c", password: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(oversized.status).toBe(413);
    expect((await as(root).get("/api/admin/teams/not-a-uuid")).status).toBe(400);
    expect((await as(root).patch("/api/admin/users/00000000-0000-4000-8000-000000000000", {})).status).toBe(400);
  });
});
