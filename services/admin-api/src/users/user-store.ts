/** Users in PostgreSQL: lookups for login, and the one-time creation of the first super admin. */

import { type Database, tables } from "@thinkwatch/db";
import { AppError } from "@thinkwatch/errors";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Role } from "../auth/roles.js";

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  isActive: boolean;
  passwordHash: string | null;
  createdAt: Date;
}

export interface PublicUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
}

export function publicUser(user: UserRecord): PublicUser {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
}

const SETUP_LOCK_ID = 7_310_455_202;

export interface UserStore {
  isInitialized(): Promise<boolean>;
  /** Create the first super admin; refuses (conflict) once any super admin exists, even under concurrent calls. */
  createFirstSuperAdmin(input: { email: string; displayName: string; passwordHash: string }): Promise<UserRecord>;
  /** Create a user (a JIT-provisioned SSO user has no password); conflict when the email is taken. */
  create(input: { email: string; displayName: string; role: Role; passwordHash: string | null }): Promise<UserRecord>;
  findByEmail(email: string): Promise<UserRecord | null>;
  findById(id: string): Promise<UserRecord | null>;
}

export function createPostgresUserStore(db: Database): UserStore {
  const { users } = tables;
  const toRecord = (row: typeof users.$inferSelect): UserRecord => ({
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role as Role,
    isActive: row.isActive,
    passwordHash: row.passwordHash,
    createdAt: row.createdAt,
  });
  const countSuperAdmins = async (executor: Pick<Database, "select">) => {
    const [row] = await executor
      .select({ count: sql<number>`count(*)::int` })
      .from(users)
      .where(and(eq(users.role, "super_admin"), isNull(users.deletedAt)));
    return row?.count ?? 0;
  };
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
        const error = caught as { code?: string; cause?: { code?: string } };
        if (error.code === "23505" || error.cause?.code === "23505") {
          throw new AppError("conflict", `a user with the email ${input.email} already exists`);
        }
        throw caught;
      }
    },
    async findByEmail(email) {
      const [row] = await db
        .select()
        .from(users)
        .where(and(eq(users.email, email), isNull(users.deletedAt)))
        .limit(1);
      return row === undefined ? null : toRecord(row);
    },
    async findById(id) {
      const [row] = await db
        .select()
        .from(users)
        .where(and(eq(users.id, id), isNull(users.deletedAt)))
        .limit(1);
      return row === undefined ? null : toRecord(row);
    },
  };
}
