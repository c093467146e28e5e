/**
 * The caller of a console request as authorization sees them: their built-in tier, their global permissions and
 * what they may do inside each team they belong to. Built from the user's current state, never from token claims.
 */
import { type Permission, TEAM_WIDE_PERMISSION, type TeamRole } from "./permissions.js";
import type { Role } from "./roles.js";

export interface TeamGrant {
  /** null when the grant comes only from a team-scoped role assignment, not membership. */
  teamRole: TeamRole | null;
  permissions: ReadonlySet<Permission>;
}

export interface Principal {
  id: string;
  email: string;
  role: Role;
  /** The session the access token belongs to. */
  sessionId: string;
  permissions: ReadonlySet<Permission>;
  teams: ReadonlyMap<string, TeamGrant>;
}

/** May the principal use `permission` on team `teamId`'s data? */
export function canInTeam(principal: Pick<Principal, "permissions" | "teams">, permission: Permission, teamId: string): boolean {
  const wide = TEAM_WIDE_PERMISSION[permission] ?? permission;
  if (principal.permissions.has(wide)) return true;
  return principal.teams.get(teamId)?.permissions.has(permission) ?? false;
}

/**
 * May the principal reach a route that needs `permission` at all? Globally held, or — for the team-scoped
 * permissions only, whose handlers filter by team — held in at least one team. A team-scoped grant of any other
 * permission never opens a route that is not itself scoped to that team.
 */
export function holdsAnywhere(principal: Pick<Principal, "permissions" | "teams">, permission: Permission): boolean {
  if (principal.permissions.has(permission)) return true;
  if (TEAM_WIDE_PERMISSION[permission] === undefined) return false;
  for (const grant of principal.teams.values()) if (grant.permissions.has(permission)) return true;
  return false;
}

/** The teams in which the principal may use `permission`, or "all" when it reaches every team. */
export function teamsWhere(principal: Pick<Principal, "permissions" | "teams">, permission: Permission): "all" | string[] {
  const wide = TEAM_WIDE_PERMISSION[permission] ?? permission;
  if (principal.permissions.has(wide)) return "all";
  return [...principal.teams].filter(([, grant]) => grant.permissions.has(permission)).map(([teamId]) => teamId);
}
