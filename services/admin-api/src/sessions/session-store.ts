/**
 * Console sessions in PostgreSQL. A login opens a session and hands out its first refresh token; each refresh uses
 * the presented token up (single use) and hands out the next one. A used token presented again means it was copied:
 * the whole session — every token of its family — is revoked. Tokens are stored as SHA-256 hashes only.
 */
import { randomBytes } from "node:crypto";
import { sha256Hex } from "@thinkwatch/crypto";
import { type Database, tables } from "@thinkwatch/db";
import { and, desc, eq, gt, inArray, isNull, ne } from "drizzle-orm";

export interface SessionState {
  id: string;
  userId: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export type RotateResult =
  | { outcome: "rotated"; session: SessionState; refreshToken: string }
  | { outcome: "reused"; session: SessionState }
  | { outcome: "ip_mismatch"; session: SessionState }
  | { outcome: "invalid" };

export interface SessionStore {
  open(input: { userId: string; ip: string | null; userAgent: string | null; ttlSeconds: number; now: number }): Promise<{
    session: SessionState;
    refreshToken: string;
  }>;
  /** Use a refresh token up and issue its successor. `requiredIp` (IP binding) refuses another address untouched. */
  rotate(input: {
    refreshToken: string;
    ttlSeconds: number;
    now: number;
    ip: string | null;
    bindIp: boolean;
  }): Promise<RotateResult>;
  find(sessionId: string): Promise<SessionState | null>;
  /** Live sessions of a user, newest first. */
  listLive(userId: string, now: number): Promise<SessionState[]>;
  /** Revoke the given sessions of a user (all live ones when `sessionIds` is absent); returns the ids revoked. */
  revoke(input: {
    userId: string;
    sessionIds?: string[];
    exceptSessionId?: string;
    reason: string;
    now: number;
  }): Promise<string[]>;
}

export function newOpaqueToken(): string {
  return randomBytes(32).toString("base64url");
}

export function createPostgresSessionStore(db: Database): SessionStore {
  const { sessions, refreshTokens } = tables;
  const toState = (row: typeof sessions.$inferSelect): SessionState => ({
    id: row.id,
    userId: row.userId,
    ip: row.ip,
    userAgent: row.userAgent,
    createdAt: row.createdAt.getTime(),
    lastUsedAt: row.lastUsedAt.getTime(),
    expiresAt: row.expiresAt.getTime(),
    revokedAt: row.revokedAt?.getTime() ?? null,
  });
  const revokeSession = async (executor: Pick<Database, "update">, sessionId: string, reason: string, now: number) => {
    await executor
      .update(sessions)
      .set({ revokedAt: new Date(now), revokedReason: reason })
      .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
  };

  return {
    async open({ userId, ip, userAgent, ttlSeconds, now }) {
      const refreshToken = newOpaqueToken();
      const expiresAt = new Date(now + ttlSeconds * 1000);
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(sessions)
          .values({ userId, ip, userAgent, createdAt: new Date(now), lastUsedAt: new Date(now), expiresAt })
          .returning();
        if (row === undefined) throw new Error("insert returned no row");
        await tx
          .insert(refreshTokens)
          .values({ tokenHash: sha256Hex(refreshToken), sessionId: row.id, createdAt: new Date(now), expiresAt });
        return { session: toState(row), refreshToken };
      });
    },

    async rotate({ refreshToken, ttlSeconds, now, ip, bindIp }) {
      const tokenHash = sha256Hex(refreshToken);
      return db.transaction(async (tx): Promise<RotateResult> => {
        const [found] = await tx
          .select({ token: refreshTokens, session: sessions })
          .from(refreshTokens)
          .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
          .where(eq(refreshTokens.tokenHash, tokenHash))
          .limit(1);
        if (found === undefined) return { outcome: "invalid" };
        const session = toState(found.session);
        if (session.revokedAt !== null) return { outcome: "invalid" };
        if (found.token.usedAt !== null) {
          await revokeSession(tx, session.id, "refresh_token_reused", now);
          return { outcome: "reused", session };
        }
        if (found.token.expiresAt.getTime() <= now || session.expiresAt <= now) return { outcome: "invalid" };
        if (bindIp && session.ip !== null && session.ip !== ip) return { outcome: "ip_mismatch", session };
        // The conditional update is what makes a token single-use under concurrent refreshes: one caller wins.
        const used = await tx
          .update(refreshTokens)
          .set({ usedAt: new Date(now) })
          .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt)))
          .returning({ tokenHash: refreshTokens.tokenHash });
        if (used.length === 0) {
          await revokeSession(tx, session.id, "refresh_token_reused", now);
          return { outcome: "reused", session };
        }
        const next = newOpaqueToken();
        const expiresAt = new Date(now + ttlSeconds * 1000);
        await tx
          .insert(refreshTokens)
          .values({ tokenHash: sha256Hex(next), sessionId: session.id, createdAt: new Date(now), expiresAt });
        const [updated] = await tx
          .update(sessions)
          .set({ lastUsedAt: new Date(now), expiresAt })
          .where(eq(sessions.id, session.id))
          .returning();
        return { outcome: "rotated", session: updated === undefined ? session : toState(updated), refreshToken: next };
      });
    },

    async find(sessionId) {
      const [row] = await db.select().from(sessions).where(eq(sessions.id, sessionId)).limit(1);
      return row === undefined ? null : toState(row);
    },

    async listLive(userId, now) {
      const rows = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date(now))))
        .orderBy(desc(sessions.createdAt));
      return rows.map(toState);
    },

    async revoke({ userId, sessionIds, exceptSessionId, reason, now }) {
      const conditions = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
      if (sessionIds !== undefined) {
        if (sessionIds.length === 0) return [];
        conditions.push(inArray(sessions.id, sessionIds));
      }
      if (exceptSessionId !== undefined) conditions.push(ne(sessions.id, exceptSessionId));
      const rows = await db
        .update(sessions)
        .set({ revokedAt: new Date(now), revokedReason: reason })
        .where(and(...conditions))
        .returning({ id: sessions.id });
      return rows.map((row) => row.id);
    },
  };
}
