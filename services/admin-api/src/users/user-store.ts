/**
 * Users in PostgreSQL: lookups for login, listing and administration, soft delete, and the one-time creation of the
 * first super admin. Every change that could take away super-admin power runs under one advisory lock and refuses
 * to leave the installation without an active super admin, so two concurrent demotions cannot both succeed.
 */
import { type Database, tables } from "@thinkwatch/db";
import { AppError } from "@thinkwatch/errors";
import { and, asc, count, eq, ilike, inArray, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import type { Role } from "../auth/roles.js";

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  isActive: boolean;
  passwordHash: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PublicUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  active: boolean;
  /** False for an invited user who has not set a password yet (or an SSO-only user). */
  hasPassword: boolean;
  createdAt: string;
}

export function publicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    active: user.isActive,
    hasPassword: user.passwordHash !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

export interface UserListQuery {
  search?: string;
  page: number;
  pageSize: number;
  /** Only members of these teams; "all" for everyone. */
  teams: "all" | string[];
}

export interface UserPatch {
  displayName?: string;
  role?: Role;
  isActive?: boolean;
}

const SETUP_LOCK_ID = 7_310_455_202;
const SUPER_ADMIN_LOCK_ID = 7_310_455_203;

export interface UserStore {
  isInitialized(): Promise<boolean>;
  /** Create the first super admin; refuses (conflict) once any super admin exists, even under concurrent calls. */
  createFirstSuperAdmin(input: { email: string; displayName: string; passwordHash: string }): Promise<UserRecord>;
  /** Create a user (a JIT-provisioned SSO user has no password); conflict when the email is taken. */
  create(input: { email: string; displayName: string; role: Role; passwordHash: string | null }): Promise<UserRecord>;
  findByEmail(email: string): Promise<UserRecord | null>;
  findById(id: string): Promise<UserRecord | null>;
  list(query: UserListQuery): Promise<{ users: UserRecord[]; total: number }>;
  /** Apply a patch; refuses to take the last active super admin's power away. Returns the user before and after. */
  update(id: string, patch: UserPatch): Promise<{ before: UserRecord; after: UserRecord }>;
  /** Soft delete; refuses for the last active super admin. */
  softDelete(id: string): Promise<UserRecord>;
  setPassword(id: string, passwordHash: string): Promise<void>;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

export function createPostgresUserStore(db: Database): UserStore {
  const { users, teamMembers } = tables;
  const toRecord = (row: typeof users.$inferSelect): UserRecord => ({
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role as Role,
    isActive: row.isActive,
    passwordHash: row.passwordHash,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
  const live = isNull(users.deletedAt);
  const countSuperAdmins = async (executor: Pick<Database, "select">, extra?: SQL) => {
    const [row] = await executor
      .select({ count: sql<number>`count(*)::int` })
      .from(users)
      .where(and(eq(users.role, "super_admin"), live, extra));
    return row?.count ?? 0;
  };
  const uniqueViolation = (caught: unknown, email: string) => {
    const code = (caught as { code?: string; cause?: { code?: string } }).cause?.code ?? (caught as { code?: string }).code;
    if (code === "23505") return new AppError("conflict", `a user with email ${email} already exists`);
    return caught;
  };
  /** Under the super-admin lock: load the user and refuse if the change would leave no active super admin. */
  const guarded = <T>(
    id: string,
    removesPower: (user: UserRecord) => boolean,
    action: string,
    work: (tx: Database, user: UserRecord) => Promise<T>,
  ) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SUPER_ADMIN_LOCK_ID})`);
      const [row] = await tx
        .select()
        .from(users)
        .where(and(eq(users.id, id), live))
        .limit(1);
      if (row === undefined) throw new AppError("not_found", `no user with id ${id}`);
      const user = toRecord(row);
      if (user.role === "super_admin" && user.isActive && removesPower(user)) {
        const others = await countSuperAdmins(tx, and(eq(users.isActive, true), ne(users.id, id)));
        if (others === 0) throw new AppError("conflict", `the last active Super Admin cannot be ${action}`);
      }
      return work(tx as unknown as Database, user);
    });

  return {
    isInitialized: async () => (await countSuperAdmins(db)) > 0,
    createFirstSuperAdmin: (input) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK_ID})`);
        if ((await countSuperAdmins(tx)) > 0) throw new AppError("conflict", "ThinkWatch is already set up");
        const [row] = await tx
          .insert(users)
          .values({ email: input.email, displayName: input.displayName, passwordHash: input.passwordHash, role: "super_admin" })
          .returning();
        if (row === undefined) throw new Error("insert returned no row");
        return toRecord(row);
      }),
    async create(input) {
      try {
        const [row] = await db.insert(users).values(input).returning();
        if (row === undefined) throw new Error("insert returned no row");
        return toRecord(row);
      } catch (caught) {
        throw uniqueViolation(caught, input.email);
      }
    },
    async findByEmail(email) {
      const [row] = await db
        .select()
        .from(users)
        .where(and(eq(users.email, email), live))
        .limit(1);
      return row === undefined ? null : toRecord(row);
    },
    async findById(id) {
      const [row] = await db
        .select()
        .from(users)
        .where(and(eq(users.id, id), live))
        .limit(1);
      return row === undefined ? null : toRecord(row);
    },
    async list(query) {
      if (query.teams !== "all" && query.teams.length === 0) return { users: [], total: 0 };
      const conditions: SQL[] = [live];
      if (query.search !== undefined && query.search !== "") {
        const pattern = `%${escapeLike(query.search)}%`;
        conditions.push(or(ilike(users.email, pattern), ilike(users.displayName, pattern)) as SQL);
      }
      if (query.teams !== "all") {
        const members = db.select({ id: teamMembers.userId }).from(teamMembers).where(inArray(teamMembers.teamId, query.teams));
        conditions.push(inArray(users.id, members));
      }
      const where = and(...conditions);
      const [rows, totals] = await Promise.all([
        db
          .select()
          .from(users)
          .where(where)
          .orderBy(asc(users.email))
          .limit(query.pageSize)
          .offset((query.page - 1) * query.pageSize),
        db.select({ total: count() }).from(users).where(where),
      ]);
      return { users: rows.map(toRecord), total: totals[0]?.total ?? 0 };
    },
    update: (id, patch) =>
      guarded(
        id,
        () => (patch.role !== undefined && patch.role !== "super_admin") || patch.isActive === false,
        patch.isActive === false ? "deactivated" : "demoted",
        async (tx, before) => {
          const [row] = await tx
            .update(users)
            .set({ ...patch, updatedAt: new Date() })
            .where(eq(users.id, id))
            .returning();
          if (row === undefined) throw new AppError("not_found", `no user with id ${id}`);
          return { before, after: toRecord(row) };
        },
      ),
    softDelete: (id) =>
      guarded(
        id,
        () => true,
        "deleted",
        async (tx, before) => {
          await tx.update(users).set({ deletedAt: new Date(), isActive: false, updatedAt: new Date() }).where(eq(users.id, id));
          return before;
        },
      ),
    async setPassword(id, passwordHash) {
      await db.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, id));
    },
  };
}
