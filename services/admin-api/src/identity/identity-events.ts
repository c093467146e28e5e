/**
 * What admin-api does when a user's access changes: drop the cached state here at once, tell every other replica and
 * key-service (UsersChanged), and end sessions when access shrank. Also listens to the same broadcasts so another
 * replica's changes invalidate this replica's cache. For changes that can grant or take away API keys (activation,
 * roles) the broadcast says whether the user may still hold keys — the rule of the console's own key routes: active
 * and holding `api_keys:write` — read from PostgreSQL after the change, one user's broadcasts kept in order.
 */
import type { Bus } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { SessionsRevoked, type UserChange, UsersChanged } from "@thinkwatch/proto";
import type { AccessCache } from "../auth/access-cache.js";
import type { AccessStore } from "../auth/access-store.js";
import type { Clock } from "../auth/clock.js";
import { holdsAnywhere } from "../auth/principal.js";
import type { SessionStore } from "../sessions/session-store.js";

export interface IdentityEvents {
  /** The user's access changed: invalidate and broadcast UsersChanged. */
  userChanged(userId: string, change: UserChange, teamId?: string): void;
  /** End sessions of a user (all live ones without `sessionIds`); returns the ids ended. */
  revokeSessions(input: { userId: string; sessionIds?: string[]; exceptSessionId?: string; reason: string }): Promise<string[]>;
  stop(): void;
}

/** The changes after which key-service is told whether the user may still hold gateway keys. */
const KEY_AFFECTING: ReadonlySet<UserChange> = new Set(["deactivated", "reactivated", "role_changed"]);

export function createIdentityEvents(options: {
  bus: Bus;
  cache: AccessCache;
  access: AccessStore;
  sessions: SessionStore;
  clock: Clock;
  log: Logger;
}): IdentityEvents {
  const { bus, cache, access, sessions, clock, log } = options;
  const pending = new Map<string, Promise<void>>();
  const keysAllowed = async (userId: string): Promise<boolean | undefined> => {
    try {
      const user = await access.load(userId);
      return user?.enabled === true && holdsAnywhere(user, "api_keys:write");
    } catch (caught) {
      // Unknown: the broadcast still invalidates caches; key-service leaves the keys as they are.
      log.error({ err: caught, userId }, "cannot read a changed user's access; their keys are left as they are");
      return undefined;
    }
  };
  const subscriptions = [
    bus.onBroadcast(UsersChanged, (event) => cache.invalidateUser(event.userId)),
    bus.onBroadcast(SessionsRevoked, (event) => cache.invalidateUser(event.userId)),
  ];
  return {
    userChanged(userId, change, teamId) {
      cache.invalidateUser(userId);
      const announce = async () => {
        const allowed = KEY_AFFECTING.has(change) ? await keysAllowed(userId) : undefined;
        bus.broadcast(UsersChanged, {
          userId,
          change,
          ...(teamId === undefined ? {} : { teamId }),
          ...(allowed === undefined ? {} : { keysAllowed: allowed }),
        });
        log.info({ userId, change, teamId, keysAllowed: allowed }, "user access changed");
      };
      const next = (pending.get(userId) ?? Promise.resolve()).then(announce, announce);
      pending.set(userId, next);
      void next
        .catch((caught: unknown) => log.error({ err: caught, userId, change }, "cannot announce a user change"))
        .finally(() => {
          if (pending.get(userId) === next) pending.delete(userId);
        });
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
