/**
 * Reacting to identity changes (admin-api's UsersChanged broadcast), so a person's keys follow their account at once:
 * - deactivated: every key of the user is suspended; reactivated: the suspension is lifted and the keys work again
 *   (unless revoked, deleted, expired or disabled meanwhile) — deactivation is a pause, not a verdict on the keys;
 * - role changed: a user who no longer holds a role allowing API keys (admin-api says so in `keysAllowed`) has their
 *   keys suspended the same way, lifted when such a role is granted again; a reactivated user whose roles do not
 *   allow keys stays suspended;
 * - deleted: every key of the user is revoked for good;
 * - removed from a team: the user's keys scoped to that team are revoked for good (re-joining does not revive them).
 * Every replica receives the broadcast; the conditional updates make only one of them change and report each key.
 */
import { UsersChanged } from "@thinkwatch/proto";
import type { KeyServiceDeps } from "../deps.js";
import type { KeyAuditVerb, KeyChange } from "../keys/key-events.js";
import { type KeyRow, restoreOwnerKeys, revokeOwnerKeys, suspendOwnerKeys } from "../keys/key-store.js";

export function registerUsersChanged(deps: KeyServiceDeps): void {
  // One user's changes are applied in the order they were sent (a suspension and its lifting must not cross).
  const pending = new Map<string, Promise<void>>();
  deps.bus.onBroadcast(UsersChanged, (event) => {
    const run = () =>
      apply(deps, event).catch((caught: unknown) =>
        deps.log.error({ err: caught, userId: event.userId, change: event.change }, "applying a user change to keys failed"),
      );
    const next = (pending.get(event.userId) ?? Promise.resolve()).then(run);
    pending.set(event.userId, next);
    void next.finally(() => {
      if (pending.get(event.userId) === next) pending.delete(event.userId);
    });
  });
}

async function apply(
  deps: KeyServiceDeps,
  event: { userId: string; change: string; teamId?: string | undefined; keysAllowed?: boolean | undefined },
) {
  const now = deps.now();
  let rows: KeyRow[];
  let change: KeyChange;
  let verb: KeyAuditVerb;
  switch (event.change) {
    case "deactivated":
      rows = await suspendOwnerKeys(deps.db, event.userId, now);
      [change, verb] = ["suspended", "suspended"];
      break;
    case "reactivated":
      if (event.keysAllowed === false) return;
      rows = await restoreOwnerKeys(deps.db, event.userId, now);
      [change, verb] = ["restored", "restored"];
      break;
    case "role_changed":
      if (event.keysAllowed === undefined) return;
      rows = event.keysAllowed
        ? await restoreOwnerKeys(deps.db, event.userId, now)
        : await suspendOwnerKeys(deps.db, event.userId, now);
      [change, verb] = event.keysAllowed ? ["restored", "restored"] : ["suspended", "suspended"];
      break;
    case "deleted":
      rows = await revokeOwnerKeys(deps.db, { userId: event.userId }, "owner_deleted", now);
      [change, verb] = ["revoked", "revoked"];
      break;
    case "team_removed":
      if (event.teamId === undefined) return;
      rows = await revokeOwnerKeys(deps.db, { userId: event.userId, teamId: event.teamId }, "team_removed", now);
      [change, verb] = ["revoked", "revoked"];
      break;
    default:
      return;
  }
  for (const row of rows) {
    deps.events.changed(row, change);
    deps.events.audit(verb, row, { details: { reason: `user.${event.change}` } });
  }
  if (rows.length > 0)
    deps.log.info({ userId: event.userId, change: event.change, keys: rows.length }, "keys follow a user change");
}
