/** Teams and their members (with a team role: manager or member) in PostgreSQL. */
import { type Database, tables } from "@thinkwatch/db";
import { AppError } from "@thinkwatch/errors";
import { and, asc, count, eq, inArray, isNull } from "drizzle-orm";
import type { TeamRole } from "../auth/permissions.js";

export interface TeamRecord {
  id: string;
  name: string;
  description: string;
  memberCount: number;
  createdAt: string;
}

export interface TeamMemberRecord {
  userId: string;
  email: string;
  displayName: string;
  teamRole: TeamRole;
  addedAt: string;
}

export interface TeamStore {
  /** Teams visible to the caller: every team, or only the given ones. */
  list(teams: "all" | string[]): Promise<TeamRecord[]>;
  find(id: string): Promise<TeamRecord | null>;
  create(input: { name: string; description: string }): Promise<TeamRecord>;
  update(id: string, patch: { name?: string; description?: string }): Promise<{ before: TeamRecord; after: TeamRecord }>;
  delete(id: string): Promise<{ team: TeamRecord; memberIds: string[] }>;
  members(teamId: string): Promise<TeamMemberRecord[]>;
  /** Add or change a member's team role; returns the role before (null: was not a member). */
  setMember(teamId: string, userId: string, teamRole: TeamRole): Promise<TeamRole | null>;
  removeMember(teamId: string, userId: string): Promise<TeamRole>;
}

const uniqueName = (caught: unknown, name: string) => {
  const code = (caught as { cause?: { code?: string } }).cause?.code ?? (caught as { code?: string }).code;
  return code === "23505" ? new AppError("conflict", `a team named ${name} already exists`) : caught;
};

export function createPostgresTeamStore(db: Database): TeamStore {
  const { teams, teamMembers, users } = tables;
  const memberCounts = db
    .select({ teamId: teamMembers.teamId, memberCount: count().as("member_count") })
    .from(teamMembers)
    .groupBy(teamMembers.teamId)
    .as("member_counts");
  const select = () =>
    db
      .select({ team: teams, memberCount: memberCounts.memberCount })
      .from(teams)
      .leftJoin(memberCounts, eq(memberCounts.teamId, teams.id));
  const toRecord = (row: { team: typeof teams.$inferSelect; memberCount: number | null }): TeamRecord => ({
    id: row.team.id,
    name: row.team.name,
    description: row.team.description,
    memberCount: Number(row.memberCount ?? 0),
    createdAt: row.team.createdAt.toISOString(),
  });
  const find = async (id: string) => {
    const [row] = await select().where(eq(teams.id, id)).limit(1);
    return row === undefined ? null : toRecord(row);
  };
  const mustFind = async (id: string) => {
    const team = await find(id);
    if (team === null) throw new AppError("not_found", `no team with id ${id}`);
    return team;
  };
  return {
    async list(visible) {
      if (visible !== "all" && visible.length === 0) return [];
      const query = select();
      const rows = await (visible === "all" ? query : query.where(inArray(teams.id, visible))).orderBy(asc(teams.name));
      return rows.map(toRecord);
    },
    find,
    async create(input) {
      try {
        const [row] = await db.insert(teams).values(input).returning();
        if (row === undefined) throw new Error("insert returned no row");
        return toRecord({ team: row, memberCount: 0 });
      } catch (caught) {
        throw uniqueName(caught, input.name);
      }
    },
    async update(id, patch) {
      const before = await mustFind(id);
      try {
        await db
          .update(teams)
          .set({ ...patch, updatedAt: new Date() })
          .where(eq(teams.id, id));
      } catch (caught) {
        throw uniqueName(caught, patch.name ?? "");
      }
      return { before, after: await mustFind(id) };
    },
    async delete(id) {
      const team = await mustFind(id);
      const members = await db.select({ userId: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, id));
      await db.delete(teams).where(eq(teams.id, id));
      return { team, memberIds: members.map((m) => m.userId) };
    },
    async members(teamId) {
      const rows = await db
        .select({ member: teamMembers, user: users })
        .from(teamMembers)
        .innerJoin(users, eq(users.id, teamMembers.userId))
        .where(and(eq(teamMembers.teamId, teamId), isNull(users.deletedAt)))
        .orderBy(asc(users.email));
      return rows.map(({ member, user }) => ({
        userId: user.id,
        email: user.email,
        displayName: user.displayName,
        teamRole: member.teamRole === "manager" ? "manager" : "member",
        addedAt: member.createdAt.toISOString(),
      }));
    },
    async setMember(teamId, userId, teamRole) {
      const [existing] = await db
        .select({ teamRole: teamMembers.teamRole })
        .from(teamMembers)
        .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
      await db
        .insert(teamMembers)
        .values({ teamId, userId, teamRole })
        .onConflictDoUpdate({ target: [teamMembers.teamId, teamMembers.userId], set: { teamRole } });
      return existing === undefined ? null : (existing.teamRole as TeamRole);
    },
    async removeMember(teamId, userId) {
      const [removed] = await db
        .delete(teamMembers)
        .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
        .returning({ teamRole: teamMembers.teamRole });
      if (removed === undefined) throw new AppError("not_found", `user ${userId} is not a member of team ${teamId}`);
      return removed.teamRole as TeamRole;
    },
  };
}
