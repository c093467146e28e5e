/**
 * Roles: the five built-in tiers (read-only, defined in code) and custom roles (PostgreSQL), both as named
 * permission sets; and role assignments — a role granted to a user globally or within one team.
 */
import { type Database, tables } from "@thinkwatch/db";
import { AppError } from "@thinkwatch/errors";
import { and, asc, eq } from "drizzle-orm";
import * as v from "valibot";
import { BUILT_IN_ROLE_PERMISSIONS, type Permission, PermissionSchema } from "../auth/permissions.js";
import { ROLES, RoleSchema } from "../auth/roles.js";

export interface RoleRecord {
  id: string;
  name: string;
  description: string;
  builtIn: boolean;
  permissions: Permission[];
}

export interface RoleAssignmentRecord {
  id: string;
  userId: string;
  roleId: string;
  roleName: string;
  teamId: string | null;
}

const BUILT_IN_NAMES: Record<(typeof ROLES)[number], { name: string; description: string }> = {
  super_admin: { name: "Super Admin", description: "Everything, including defining roles." },
  admin: { name: "Admin", description: "Everything except defining roles." },
  team_manager: { name: "Team Manager", description: "Manages the members, keys and limits of their teams." },
  developer: { name: "Developer", description: "Uses the gateway with their own API keys." },
  viewer: { name: "Viewer", description: "Reads configuration, their own keys, logs and analytics." },
};

export const BUILT_IN_ROLES: readonly RoleRecord[] = ROLES.map((id) => ({
  id,
  ...BUILT_IN_NAMES[id],
  builtIn: true,
  permissions: [...BUILT_IN_ROLE_PERMISSIONS[id]],
}));

export interface RoleStore {
  list(): Promise<RoleRecord[]>;
  find(id: string): Promise<RoleRecord | null>;
  create(input: { name: string; description: string; permissions: Permission[] }): Promise<RoleRecord>;
  update(
    id: string,
    patch: { name?: string; description?: string; permissions?: Permission[] },
  ): Promise<{ before: RoleRecord; after: RoleRecord }>;
  delete(id: string): Promise<{ role: RoleRecord; holders: string[] }>;
  /** Users holding the role through an assignment. */
  holders(roleId: string): Promise<string[]>;
  assignments(userId: string): Promise<RoleAssignmentRecord[]>;
  assign(input: { userId: string; roleId: string; teamId: string | null }): Promise<RoleAssignmentRecord>;
  unassign(userId: string, assignmentId: string): Promise<RoleAssignmentRecord>;
}

const UuidSchema = v.pipe(v.string(), v.uuid());

export function createPostgresRoleStore(db: Database): RoleStore {
  const { roles, roleAssignments } = tables;
  const toRecord = (row: typeof roles.$inferSelect): RoleRecord => ({
    id: row.id,
    name: row.name,
    description: row.description,
    builtIn: false,
    permissions: row.permissions.filter((p): p is Permission => v.is(PermissionSchema, p)),
  });
  const find = async (id: string): Promise<RoleRecord | null> => {
    const builtIn = BUILT_IN_ROLES.find((role) => role.id === id);
    if (builtIn !== undefined) return builtIn;
    if (!v.is(UuidSchema, id)) return null;
    const [row] = await db.select().from(roles).where(eq(roles.id, id)).limit(1);
    return row === undefined ? null : toRecord(row);
  };
  const mustFindCustom = async (id: string) => {
    if (v.is(RoleSchema, id)) throw new AppError("forbidden", `${id} is a built-in role; built-in roles are read-only`);
    const role = await find(id);
    if (role === null) throw new AppError("not_found", `no role with id ${id}`);
    return role;
  };
  const uniqueName = (caught: unknown, name: string) => {
    const code = (caught as { cause?: { code?: string } }).cause?.code ?? (caught as { code?: string }).code;
    return code === "23505" ? new AppError("conflict", `a role named ${name} already exists`) : caught;
  };
  const holders = async (roleId: string) => {
    const rows = await db
      .selectDistinct({ userId: roleAssignments.userId })
      .from(roleAssignments)
      .where(eq(roleAssignments.roleId, roleId));
    return rows.map((row) => row.userId);
  };
  const withName = async (row: typeof roleAssignments.$inferSelect): Promise<RoleAssignmentRecord> => ({
    id: row.id,
    userId: row.userId,
    roleId: row.roleId,
    roleName: (await find(row.roleId))?.name ?? "(deleted role)",
    teamId: row.teamId,
  });

  return {
    async list() {
      const rows = await db.select().from(roles).orderBy(asc(roles.name));
      return [...BUILT_IN_ROLES, ...rows.map(toRecord)];
    },
    find,
    async create(input) {
      if (BUILT_IN_ROLES.some((role) => role.name.toLowerCase() === input.name.toLowerCase())) {
        throw new AppError("conflict", `${input.name} is the name of a built-in role`);
      }
      try {
        const [row] = await db.insert(roles).values(input).returning();
        if (row === undefined) throw new Error("insert returned no row");
        return toRecord(row);
      } catch (caught) {
        throw uniqueName(caught, input.name);
      }
    },
    async update(id, patch) {
      const before = await mustFindCustom(id);
      try {
        const [row] = await db
          .update(roles)
          .set({ ...patch, updatedAt: new Date() })
          .where(eq(roles.id, id))
          .returning();
        if (row === undefined) throw new AppError("not_found", `no role with id ${id}`);
        return { before, after: toRecord(row) };
      } catch (caught) {
        throw uniqueName(caught, patch.name ?? "");
      }
    },
    async delete(id) {
      const role = await mustFindCustom(id);
      const users = await holders(id);
      await db.transaction(async (tx) => {
        await tx.delete(roleAssignments).where(eq(roleAssignments.roleId, id));
        await tx.delete(roles).where(eq(roles.id, id));
      });
      return { role, holders: users };
    },
    holders,
    async assignments(userId) {
      const rows = await db
        .select()
        .from(roleAssignments)
        .where(eq(roleAssignments.userId, userId))
        .orderBy(asc(roleAssignments.createdAt));
      return Promise.all(rows.map(withName));
    },
    async assign(input) {
      const [row] = await db.insert(roleAssignments).values(input).returning();
      if (row === undefined) throw new Error("insert returned no row");
      return withName(row);
    },
    async unassign(userId, assignmentId) {
      if (!v.is(UuidSchema, assignmentId))
        throw new AppError("not_found", `user ${userId} has no role assignment ${assignmentId}`);
      const [row] = await db
        .delete(roleAssignments)
        .where(and(eq(roleAssignments.id, assignmentId), eq(roleAssignments.userId, userId)))
        .returning();
      if (row === undefined) throw new AppError("not_found", `user ${userId} has no role assignment ${assignmentId}`);
      return withName(row);
    },
  };
}
