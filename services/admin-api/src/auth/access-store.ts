/**
 * A user's current access, read from PostgreSQL: active or not, built-in tier, extra role assignments (global or
 * per team, built-in or custom) and team memberships, folded into global and per-team permission sets.
 */
import { type Database, tables } from "@thinkwatch/db";
import { eq, inArray } from "drizzle-orm";
import * as v from "valibot";
import {
  BUILT_IN_ROLE_PERMISSIONS,
  type Permission,
  PermissionSchema,
  TEAM_ROLE_PERMISSIONS,
  type TeamRole,
} from "./permissions.js";
import type { TeamGrant } from "./principal.js";
import { type Role, RoleSchema } from "./roles.js";

export interface UserAccess {
  id: string;
  email: string;
  role: Role;
  /** Active and not deleted. */
  enabled: boolean;
  permissions: ReadonlySet<Permission>;
  teams: ReadonlyMap<string, TeamGrant>;
}

export interface AccessStore {
  load(userId: string): Promise<UserAccess | null>;
}

/** Permissions of a built-in role name or a custom role's stored list (unknown names are ignored, never granted). */
export function permissionsOfRoleId(roleId: string, custom: ReadonlyMap<string, readonly string[]>): Permission[] {
  if (v.is(RoleSchema, roleId)) return [...BUILT_IN_ROLE_PERMISSIONS[roleId]];
  return (custom.get(roleId) ?? []).filter((p): p is Permission => v.is(PermissionSchema, p));
}

export function createPostgresAccessStore(db: Database): AccessStore {
  const { users, roleAssignments, teamMembers, roles } = tables;
  return {
    async load(userId) {
      const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
      if (user === undefined) return null;
      const [assignments, memberships] = await Promise.all([
        db.select().from(roleAssignments).where(eq(roleAssignments.userId, userId)),
        db.select().from(teamMembers).where(eq(teamMembers.userId, userId)),
      ]);
      const customIds = assignments
        .map((a) => a.roleId)
        .filter((id) => !v.is(RoleSchema, id) && v.is(v.pipe(v.string(), v.uuid()), id));
      const customRows = customIds.length === 0 ? [] : await db.select().from(roles).where(inArray(roles.id, customIds));
      const custom = new Map(customRows.map((row) => [row.id, row.permissions]));

      const role = v.is(RoleSchema, user.role) ? user.role : "viewer";
      const global = new Set<Permission>(BUILT_IN_ROLE_PERMISSIONS[role]);
      const teamSets = new Map<string, { teamRole: TeamRole | null; permissions: Set<Permission> }>();
      const teamEntry = (teamId: string) => {
        let entry = teamSets.get(teamId);
        if (entry === undefined) {
          entry = { teamRole: null, permissions: new Set() };
          teamSets.set(teamId, entry);
        }
        return entry;
      };
      for (const membership of memberships) {
        const teamRole = membership.teamRole === "manager" ? "manager" : "member";
        const entry = teamEntry(membership.teamId);
        entry.teamRole = teamRole;
        for (const p of TEAM_ROLE_PERMISSIONS[teamRole]) entry.permissions.add(p);
      }
      for (const assignment of assignments) {
        const granted = permissionsOfRoleId(assignment.roleId, custom);
        const target = assignment.teamId === null ? global : teamEntry(assignment.teamId).permissions;
        for (const p of granted) target.add(p);
      }
      return {
        id: user.id,
        email: user.email,
        role,
        enabled: user.isActive && user.deletedAt === null,
        permissions: global,
        teams: teamSets,
      };
    },
  };
}
