/**
 * The RBAC matrix, generated from the console's route table: every declared route × every built-in role, an
 * anonymous caller and a team manager of another team. The expected answer is derived from the route's declared
 * access (permission and team scope) and the built-in roles' permission sets; a route that is public or merely
 * "authenticated" must be listed here on purpose, so a new route cannot slip in without a real permission.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUILT_IN_ROLE_PERMISSIONS,
  PERMISSIONS,
  type Permission,
  TEAM_ROLE_PERMISSIONS,
  TEAM_WIDE_PERMISSION,
  type TeamRole,
} from "../src/auth/permissions.js";
import type { Role } from "../src/auth/roles.js";
import type { DeclaredRoute, RouteAccess } from "../src/index.js";
import { type AdminHarness, startAdminHarness } from "./support/admin-harness.js";
import { call, createUser, login, setupSuperAdmin } from "./support/console-http.js";

/** Routes anyone may call: signing in and the first-run wizard. */
const PUBLIC_ROUTES = new Set([
  "GET /api/setup/status",
  "POST /api/setup/initialize",
  "POST /api/auth/login",
  "POST /api/auth/refresh",
  "POST /api/auth/invite/accept",
  "GET /api/auth/sso/status",
  "GET /api/auth/sso/authorize",
  "GET /api/auth/sso/callback",
  "GET /api/openapi.json",
  "GET /api/mcp/oauth/callback",
]);
/** Routes about the caller's own account only. */
const SELF_ROUTES = new Set([
  "GET /api/auth/me",
  "POST /api/auth/logout",
  "POST /api/auth/password",
  "GET /api/auth/sessions",
  "DELETE /api/auth/sessions",
  "DELETE /api/auth/sessions/:id",
]);

interface Caller {
  name: string;
  role: Role | null;
  email: string | null;
  /** Team memberships: "A" is the team the matrix's team-scoped routes name. */
  teams: Partial<Record<"A" | "B", TeamRole>>;
  token: string | null;
}

const PASSWORD = "Matrix-passw0rd";
const OTHER_ID = "00000000-0000-4000-8000-000000000000";
let h: AdminHarness;
let teamA: string;
const callers: Caller[] = [
  { name: "anonymous", role: null, email: null, teams: {}, token: null },
  { name: "super_admin", role: "super_admin", email: "root@example.com", teams: {}, token: null },
  { name: "admin", role: "admin", email: "admin@example.com", teams: {}, token: null },
  { name: "team_manager", role: "team_manager", email: "tm@example.com", teams: { A: "manager" }, token: null },
  { name: "developer", role: "developer", email: "dev@example.com", teams: { A: "member" }, token: null },
  { name: "viewer", role: "viewer", email: "viewer@example.com", teams: {}, token: null },
  { name: "manager of another team", role: "team_manager", email: "other@example.com", teams: { B: "manager" }, token: null },
];

beforeAll(async () => {
  h = await startAdminHarness();
  const root = (await setupSuperAdmin(h.url, "root@example.com", PASSWORD)).accessToken;
  const teamIds: Record<"A" | "B", string> = { A: "", B: "" };
  for (const name of ["A", "B"] as const) {
    const created = await call<{ team: { id: string } }>(h.url, "POST", "/api/admin/teams", {
      token: root,
      body: { name: `Team ${name}` },
    });
    teamIds[name] = created.body.team.id;
  }
  teamA = teamIds.A;
  for (const caller of callers) {
    if (caller.role === null || caller.email === null) continue;
    if (caller.role !== "super_admin")
      await createUser(h.url, root, { email: caller.email, role: caller.role, password: PASSWORD });
    for (const [team, teamRole] of Object.entries(caller.teams)) {
      const added = await call(h.url, "POST", `/api/admin/teams/${teamIds[team as "A" | "B"]}/members`, {
        token: root,
        body: { email: caller.email, teamRole },
      });
      expect(added.status).toBe(201);
    }
    caller.token = (await login(h.url, caller.email, PASSWORD)).accessToken;
  }
});

afterAll(async () => {
  await h?.stop();
});

const key = (route: Pick<DeclaredRoute, "method" | "path">) => `${route.method} ${route.path}`;

function expectedAllowed(access: RouteAccess, caller: Caller): boolean {
  if (access === "public") return true;
  if (caller.role === null) return false;
  if (access === "authenticated") return true;
  const global: readonly Permission[] = BUILT_IN_ROLE_PERMISSIONS[caller.role];
  const teamRoles = Object.entries(caller.teams) as Array<["A" | "B", TeamRole]>;
  if (typeof access === "object") {
    const wide = TEAM_WIDE_PERMISSION[access.permission] ?? access.permission;
    const inA = caller.teams.A;
    return global.includes(wide) || (inA !== undefined && TEAM_ROLE_PERMISSIONS[inA].includes(access.permission));
  }
  const teamAware = TEAM_WIDE_PERMISSION[access] !== undefined;
  return (
    global.includes(access) || (teamAware && teamRoles.some(([, teamRole]) => TEAM_ROLE_PERMISSIONS[teamRole].includes(access)))
  );
}

function concretePath(route: DeclaredRoute): string {
  const teamParam = typeof route.access === "object" ? route.access.teamParam : null;
  return route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === teamParam ? teamA : OTHER_ID));
}

describe("route table", () => {
  it("declares a known permission for every route that is not deliberately public or self-service", () => {
    const routes = h.routes();
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const access = typeof route.access === "object" ? route.access.permission : route.access;
      if (access === "public") expect(PUBLIC_ROUTES, `${key(route)} is public`).toContain(key(route));
      else if (access === "authenticated") expect(SELF_ROUTES, `${key(route)} needs only a login`).toContain(key(route));
      else expect(PERMISSIONS, `${key(route)} declares ${access}`).toContain(access);
    }
  });
});

describe("RBAC matrix", () => {
  it("allows and denies every route × caller exactly as the declared access says", async () => {
    const mismatches: string[] = [];
    let cases = 0;
    for (const route of h.routes()) {
      for (const caller of callers) {
        cases += 1;
        const response = await call<{ error?: { message: string } }>(h.url, route.method, concretePath(route), {
          token: caller.token,
          ...(route.method === "GET" || route.method === "DELETE" ? {} : { body: {} }),
        });
        // The guard answers 401 (who are you) or 403 (not allowed); a handler's own 401 (no refresh cookie) is not a denial.
        const guardDenied =
          response.status === 403 || (response.status === 401 && (caller.token === null || route.access !== "public"));
        const refusedAnonymous = response.status === 401 && response.body.error?.message.startsWith("log in first");
        const denied = route.access === "public" ? response.status === 403 || refusedAnonymous === true : guardDenied;
        const expected = expectedAllowed(route.access, caller);
        if (denied === expected)
          mismatches.push(`${key(route)} as ${caller.name}: expected ${expected ? "allow" : "deny"}, got ${response.status}`);
        if (!denied && response.status >= 500)
          mismatches.push(`${key(route)} as ${caller.name}: ${response.status} ${JSON.stringify(response.body)}`);
        // Self-service routes may end the caller's own session (logout, revoke all): sign in again.
        if (caller.email !== null && (await call(h.url, "GET", "/api/auth/me", { token: caller.token })).status === 401) {
          caller.token = (await login(h.url, caller.email, PASSWORD)).accessToken;
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(cases).toBe(h.routes().length * callers.length);
  });
});
