/**
 * Invitations: a user created without a password gets a one-time token (only its hash is stored) that lets them set
 * one before it expires. A new invite for the same user replaces the old one.
 */
import { sha256Hex } from "@thinkwatch/crypto";
import { type Database, tables } from "@thinkwatch/db";
import { AppError } from "@thinkwatch/errors";
import { and, eq, gt, isNull } from "drizzle-orm";
import { newOpaqueToken } from "../sessions/session-store.js";

export interface InviteStore {
  issue(userId: string, expiresAt: number): Promise<string>;
  /** Use an invite up and set the user's password; returns the user id. Expired, used or unknown: 400. */
  accept(token: string, passwordHash: string, now: number): Promise<string>;
}

export function createPostgresInviteStore(db: Database): InviteStore {
  const { userInvites, users } = tables;
  return {
    async issue(userId, expiresAt) {
      const token = newOpaqueToken();
      const values = { tokenHash: sha256Hex(token), userId, expiresAt: new Date(expiresAt), usedAt: null };
      await db.insert(userInvites).values(values).onConflictDoUpdate({ target: userInvites.userId, set: values });
      return token;
    },
    accept: (token, passwordHash, now) =>
      db.transaction(async (tx) => {
        const [used] = await tx
          .update(userInvites)
          .set({ usedAt: new Date(now) })
          .where(
            and(
              eq(userInvites.tokenHash, sha256Hex(token)),
              isNull(userInvites.usedAt),
              gt(userInvites.expiresAt, new Date(now)),
            ),
          )
          .returning({ userId: userInvites.userId });
        if (used === undefined)
          throw new AppError("bad_request", "this invitation is invalid, used or expired; ask for a new one");
        const [user] = await tx
          .update(users)
          .set({ passwordHash, updatedAt: new Date(now) })
          .where(and(eq(users.id, used.userId), isNull(users.deletedAt), eq(users.isActive, true)))
          .returning({ id: users.id });
        if (user === undefined)
          throw new AppError("bad_request", "this invitation is invalid, used or expired; ask for a new one");
        return user.id;
      }),
  };
}
