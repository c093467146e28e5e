/**
 * Tool RBAC grants (`mcp_tool_grants`) and their read-model for the edges: every user's granted tool patterns,
 * compiled from their built-in role, extra role assignments, team memberships and own grants, published to the
 * config KV bucket after each change and on a timer (so role and team changes made elsewhere reach mcp-proxy too).
 */
import type { ConfigStore } from "@thinkwatch/bus";
import type { McpToolGrantInput, McpToolGrantView } from "@thinkwatch/console-api";
import { type Database, tables } from "@thinkwatch/db";
import { AppError } from "@thinkwatch/errors";
import { CONFIG_KEYS } from "@thinkwatch/proto";
import { asc, eq, isNull } from "drizzle-orm";

const BUILT_IN_ROLES = new Set(["super_admin", "admin", "team_manager", "developer", "viewer"]);

export interface McpToolGrantStore {
  list(): Promise<McpToolGrantView[]>;
  create(input: McpToolGrantInput): Promise<McpToolGrantView>;
  remove(id: string): Promise<McpToolGrantView>;
  publish(): Promise<void>;
}

type Row = typeof tables.mcpToolGrants.$inferSelect;

export function createMcpToolGrantStore(db: Database, config: ConfigStore): McpToolGrantStore {
  const { mcpToolGrants, users, teams, teamMembers, roles, roleAssignments } = tables;
  let lastRevision = 0;
  let lastPublished = "";

  async function names(): Promise<Map<string, string>> {
    const [userRows, teamRows, roleRows] = await Promise.all([
      db.select({ id: users.id, email: users.email }).from(users).where(isNull(users.deletedAt)),
      db.select({ id: teams.id, name: teams.name }).from(teams),
      db.select({ id: roles.id, name: roles.name }).from(roles),
    ]);
    return new Map([
      ...userRows.map((u) => [`user:${u.id}`, u.email] as const),
      ...teamRows.map((t) => [`team:${t.id}`, t.name] as const),
      ...roleRows.map((r) => [`role:${r.id}`, r.name] as const),
      ...[...BUILT_IN_ROLES].map((r) => [`role:${r}`, r] as const),
    ]);
  }

  const view = (row: Row, known: Map<string, string>): McpToolGrantView => ({
    id: row.id,
    subjectKind: row.subjectKind as McpToolGrantView["subjectKind"],
    subjectId: row.subjectId,
    subjectName: known.get(`${row.subjectKind}:${row.subjectId}`) ?? null,
    pattern: row.pattern,
    createdAt: row.createdAt.toISOString(),
  });

  return {
    async list() {
      const rows = await db.select().from(mcpToolGrants).orderBy(asc(mcpToolGrants.pattern), asc(mcpToolGrants.subjectKind));
      const known = await names();
      return rows.map((row) => view(row, known));
    },

    async create(input) {
      const known = await names();
      if (!known.has(`${input.subjectKind}:${input.subjectId}`)) {
        throw new AppError("validation_failed", `no ${input.subjectKind} with id ${input.subjectId}`);
      }
      try {
        const [row] = await db.insert(mcpToolGrants).values(input).returning();
        if (row === undefined) throw new Error("insert returned nothing");
        return view(row, known);
      } catch (caught) {
        const code = (caught as { code?: string; cause?: { code?: string } }).cause?.code ?? (caught as { code?: string }).code;
        if (code === "23505") throw new AppError("conflict", `${input.pattern} is already granted to that ${input.subjectKind}`);
        throw caught;
      }
    },

    async remove(id) {
      const [row] = await db.delete(mcpToolGrants).where(eq(mcpToolGrants.id, id)).returning();
      if (row === undefined) throw new AppError("not_found", `no tool grant with id ${id}`);
      return view(row, await names());
    },

    async publish() {
      const [grants, userRows, memberships, assignments] = await Promise.all([
        db.select().from(mcpToolGrants),
        db.select({ id: users.id, role: users.role }).from(users).where(isNull(users.deletedAt)),
        db.select({ userId: teamMembers.userId, teamId: teamMembers.teamId }).from(teamMembers),
        db.select({ userId: roleAssignments.userId, roleId: roleAssignments.roleId }).from(roleAssignments),
      ]);
      const bySubject = new Map<string, string[]>();
      for (const grant of grants) {
        const key = `${grant.subjectKind}:${grant.subjectId}`;
        bySubject.set(key, [...(bySubject.get(key) ?? []), grant.pattern]);
      }
      const subjects = new Map<string, Set<string>>(userRows.map((u) => [u.id, new Set([`user:${u.id}`, `role:${u.role}`])]));
      for (const m of memberships) subjects.get(m.userId)?.add(`team:${m.teamId}`);
      for (const a of assignments) subjects.get(a.userId)?.add(`role:${a.roleId}`);
      const compiled: Record<string, string[]> = {};
      for (const [userId, held] of subjects) {
        const patterns = [...new Set([...held].flatMap((subject) => bySubject.get(subject) ?? []))].sort();
        if (patterns.length > 0) compiled[userId] = patterns;
      }
      // The timer republishes; an unchanged model is not written again (edges would tell every session it changed).
      const content = JSON.stringify([grants.length > 0, compiled]);
      if (content === lastPublished) return;
      lastPublished = content;
      lastRevision = Math.max(Date.now(), lastRevision + 1);
      await config.put(CONFIG_KEYS.mcpToolGrants, { revision: lastRevision, enforced: grants.length > 0, users: compiled });
    },
  };
}
