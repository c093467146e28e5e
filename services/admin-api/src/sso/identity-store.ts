/** user_identities: which (issuer, subject) from an identity provider is which local user. */
import { type Database, tables } from "@thinkwatch/db";
import { and, eq } from "drizzle-orm";

export interface IdentityStore {
  findUserId(issuer: string, subject: string): Promise<string | null>;
  /** Link; a concurrent link of the same identity keeps the first. */
  link(issuer: string, subject: string, userId: string): Promise<void>;
}

export function createPostgresIdentityStore(db: Database): IdentityStore {
  const { userIdentities } = tables;
  return {
    async findUserId(issuer, subject) {
      const [row] = await db
        .select({ userId: userIdentities.userId })
        .from(userIdentities)
        .where(and(eq(userIdentities.issuer, issuer), eq(userIdentities.subject, subject)))
        .limit(1);
      return row?.userId ?? null;
    },
    async link(issuer, subject, userId) {
      await db.insert(userIdentities).values({ issuer, subject, userId }).onConflictDoNothing();
    },
  };
}
