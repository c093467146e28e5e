/**
 * What admin-api does when a user's access changes: drop the cached state here at once, tell every other replica and
 * key-service (UsersChanged), and end sessions when access shrank. Also listens to the same broadcasts so another
 * replica's changes invalidate this replica's cache.
 */
import type { Bus } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { SessionsRevoked, type UserChange, UsersChanged } from "@thinkwatch/proto";
import type { AccessCache } from "../auth/access-cache.js";
import type { Clock } from "../auth/clock.js";
import type { SessionStore } from "../sessions/session-store.js";

export interface IdentityEvents {
  /** The user's access changed: invalidate and broadcast UsersChanged. */
  userChanged(userId: string, change: UserChange, teamId?: string): void;
  /** End sessions of a user (all live ones without `sessionIds`); returns the ids ended. */
  revokeSessions(input: { userId: string; sessionIds?: string[]; exceptSessionId?: string; reason: string }): Promise<string[]>;
  stop(): void;
}

export function createIdentityEvents(options: {
  bus: Bus;
  cache: AccessCache;
  sessions: SessionStore;
  clock: Clock;
  log: Logger;
}): IdentityEvents {
  const { bus, cache, sessions, clock, log } = options;
  const subscriptions = [
    bus.onBroadcast(UsersChanged, (event) => cache.invalidateUser(event.userId)),
    bus.onBroadcast(SessionsRevoked, (event) => cache.invalidateUser(event.userId)),
  ];
  return {
    userChanged(userId, change, teamId) {
      cache.invalidateUser(userId);
      bus.broadcast(UsersChanged, { userId, change, ...(teamId === undefined ? {} : { teamId }) });
      log.info({ userId, change, teamId }, "user access changed");
    },
    async revokeSessions(input) {
      const ended = await sessions.revoke({ ...input, now: clock() });
      cache.invalidateUser(input.userId);
      // Named sessions are announced even when already ended here (a reused refresh token ends its session inside
      // the rotation's transaction), so other replicas drop them from their caches too.
      const announced = ended.length > 0 ? ended : (input.sessionIds ?? []);
      if (announced.length > 0) bus.broadcast(SessionsRevoked, { userId: input.userId, sessionIds: announced });
      return ended;
    },
    stop() {
      for (const sub of subscriptions) sub.unsubscribe();
    },
  };
}
