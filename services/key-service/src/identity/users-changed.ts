/**
 * Reacting to identity changes (admin-api's UsersChanged broadcast), so a person's keys follow their account at once:
 * - deactivated: every key of the user is suspended; reactivated: the suspension is lifted and the keys work again
 *   (unless revoked, deleted, expired or disabled meanwhile) — deactivation is a pause, not a verdict on the keys;
 * - deleted: every key of the user is revoked for good;
 * - removed from a team: the user's keys scoped to that team are revoked for good (re-joining does not revive them).
 * Every replica receives the broadcast; the conditional updates make only one of them change and report each key.
 */
import { UsersChanged } from "@thinkwatch/proto";
import type { KeyServiceDeps } from "../deps.js";
import type { KeyAuditVerb, KeyChange } from "../keys/key-events.js";
import { type KeyRow, restoreOwnerKeys, revokeOwnerKeys, suspendOwnerKeys } from "../keys/key-store.js";

export function registerUsersChanged(deps: KeyServiceDeps): void {
  deps.bus.onBroadcast(UsersChanged, (event) => {
    void apply(deps, event).catch((caught: unknown) =>
      deps.log.error({ err: caught, userId: event.userId, change: event.change }, "applying a user change to keys failed"),
    );
  });
}

async function apply(deps: KeyServiceDeps, event: { userId: string; change: string; teamId?: string | undefined }) {
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
      rows = await restoreOwnerKeys(deps.db, event.userId, now);
      [change, verb] = ["restored", "restored"];
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
