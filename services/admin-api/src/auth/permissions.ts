/**
 * The console's permission vocabulary and the permission sets of the five built-in roles. Every console route
 * declares one permission (or "public" / "authenticated") in the route table; custom roles are sets drawn from the
 * same vocabulary. `*:read_all` / `*:write_all` reach other users' data; without them a route sees the caller's own
 * (and, for team managers, their teams') rows only — the filtering happens server-side in each handler.
 */
import * as v from "valibot";
import type { Role } from "./roles.js";

export const PERMISSIONS = [
  "users:read",
  "users:write",
  "teams:read",
  "teams:write",
  "roles:read",
  "roles:write",
  "providers:read",
  "providers:write",
  "models:read",
  "models:write",
  "mcp_servers:read",
  "mcp_servers:write",
  "mcp_tools:read",
  "mcp_tools:write",
  "api_keys:read",
  "api_keys:write",
  "api_keys:read_all",
  "api_keys:write_all",
  "limits:read",
  "limits:write",
  "settings:read",
  "settings:write",
  "log_forwarders:read",
  "log_forwarders:write",
  "logs:read",
  "logs:read_all",
  "analytics:read",
  "analytics:read_all",
  "health:read",
  "users:read_all",
  "teams:read_all",
  "teams:write_all",
] as const;

export const PermissionSchema = v.picklist(PERMISSIONS);
export type Permission = v.InferOutput<typeof PermissionSchema>;

const ALL: readonly Permission[] = PERMISSIONS;

const VIEWER: readonly Permission[] = [
  "providers:read",
  "models:read",
  "mcp_servers:read",
  "mcp_tools:read",
  "api_keys:read",
  "logs:read",
  "analytics:read",
  "health:read",
];

const DEVELOPER: readonly Permission[] = [...VIEWER, "api_keys:write"];

const TEAM_MANAGER: readonly Permission[] = [...DEVELOPER, "users:read", "teams:read", "teams:write", "limits:read"];

/** What each built-in role may do. Admins may do everything except define roles; super admins everything. */
export const BUILT_IN_ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  super_admin: ALL,
  admin: ALL.filter((p) => p !== "roles:write"),
  team_manager: TEAM_MANAGER,
  developer: DEVELOPER,
  viewer: VIEWER,
};

/**
 * Permissions that are team-scoped: held plainly they reach only the teams where the holder has them (through a
 * team role or a team-scoped role assignment); the `_all` permission beside each reaches every team.
 */
export const TEAM_WIDE_PERMISSION: Partial<Record<Permission, Permission>> = {
  "users:read": "users:read_all",
  "teams:read": "teams:read_all",
  "teams:write": "teams:write_all",
};

export const TEAM_ROLES = ["manager", "member"] as const;
export const TeamRoleSchema = v.picklist(TEAM_ROLES);
export type TeamRole = v.InferOutput<typeof TeamRoleSchema>;

/** What a team role grants inside its team: managers manage the team and see its members. */
export const TEAM_ROLE_PERMISSIONS: Record<TeamRole, readonly Permission[]> = {
  manager: ["teams:read", "teams:write", "users:read"],
  member: ["teams:read"],
};

export function permissionsOfRole(role: Role): ReadonlySet<Permission> {
  return new Set(BUILT_IN_ROLE_PERMISSIONS[role]);
}
