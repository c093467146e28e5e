/**
 * In-memory cache of users' access and sessions for the authorizer: a request costs a JWT check and two map lookups.
 * Entries are dropped at once when the user changes or their sessions are revoked — locally, and on every other
 * replica through the UsersChanged / SessionsRevoked broadcasts — and expire after a short TTL as a safety net for
 * a broadcast missed during a NATS reconnect. A load racing an invalidation is not stored (generation check).
 */

import type { SessionState, SessionStore } from "../sessions/session-store.js";
import type { AccessStore, UserAccess } from "./access-store.js";
import type { Clock } from "./clock.js";

export interface AccessCache {
  user(userId: string): Promise<UserAccess | null>;
  session(sessionId: string): Promise<SessionState | null>;
  /** Forget everything cached about a user: their access and their sessions. */
  invalidateUser(userId: string): void;
  size(): number;
}

export interface AccessCacheOptions {
  access: AccessStore;
  sessions: Pick<SessionStore, "find">;
  clock: Clock;
  ttlMs?: number;
  maxEntries?: number;
}

interface Entry<T> {
  value: T;
  at: number;
  userId: string;
}

export function createAccessCache(options: AccessCacheOptions): AccessCache {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 20_000;
  const users = new Map<string, Entry<UserAccess | null>>();
  const sessions = new Map<string, Entry<SessionState | null>>();
  const sessionsOfUser = new Map<string, Set<string>>();
  const generations = new Map<string, number>();
  // Sessions are looked up before their user is known; their loads are guarded by one global generation.
  let sessionGeneration = 0;
  const generationOf = (userId: string) => generations.get(userId) ?? 0;
  const fresh = (entry: Entry<unknown> | undefined) => entry !== undefined && options.clock() - entry.at < ttlMs;
  const bounded = <T>(map: Map<string, T>) => {
    if (map.size < maxEntries) return;
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  };

  return {
    async user(userId) {
      const cached = users.get(userId);
      if (fresh(cached)) return (cached as Entry<UserAccess | null>).value;
      const generation = generationOf(userId);
      const value = await options.access.load(userId);
      if (generationOf(userId) === generation) {
        bounded(users);
        users.set(userId, { value, at: options.clock(), userId });
      }
      return value;
    },

    async session(sessionId) {
      const cached = sessions.get(sessionId);
      if (fresh(cached)) return (cached as Entry<SessionState | null>).value;
      const generation = sessionGeneration;
      const value = await options.sessions.find(sessionId);
      if (value !== null && sessionGeneration === generation) {
        bounded(sessions);
        sessions.set(sessionId, { value, at: options.clock(), userId: value.userId });
        let owned = sessionsOfUser.get(value.userId);
        if (owned === undefined) {
          owned = new Set();
          sessionsOfUser.set(value.userId, owned);
        }
        owned.add(sessionId);
      }
      return value;
    },

    invalidateUser(userId) {
      generations.set(userId, generationOf(userId) + 1);
      sessionGeneration += 1;
      users.delete(userId);
      for (const sessionId of sessionsOfUser.get(userId) ?? []) sessions.delete(sessionId);
      sessionsOfUser.delete(userId);
    },

    size: () => users.size + sessions.size,
  };
}
