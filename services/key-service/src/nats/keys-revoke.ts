/**
 * keys.v1.revoke: stop a key now and broadcast it so every edge drops its cached verification at once. A rotated-out
 * key in its grace period is only revoked with `force`; `force` on any key also ends the grace of its lineage's
 * rotated predecessors, so a leaked lineage stops completely.
 */
import { AppError } from "@thinkwatch/errors";
import { KeysRevoke } from "@thinkwatch/proto";
import type { KeyServiceDeps } from "../deps.js";
import { toKeyInfo } from "../keys/key-info.js";
import { type KeyRow, revokeGraceOfLineage, revokeKey } from "../keys/key-store.js";
import { loadOwnedKey } from "../keys/owned-key.js";

export function registerKeysRevoke(deps: KeyServiceDeps): void {
  deps.bus.serve(KeysRevoke, async (request) => {
    const row = await loadOwnedKey(deps.db, request.id, request.actor);
    const now = deps.now();
    const status = toKeyInfo(row, now).status;
    if (status === "revoked") throw new AppError("conflict", "this API key is already revoked");
    if (status === "grace" && !request.force) {
      throw new AppError(
        "conflict",
        `this API key was rotated and keeps working until ${row.graceEndsAt?.toISOString()}; revoke with force=true to stop it now`,
      );
    }
    const revoked = await revokeKey(deps.db, row.id, request.force ? "forced" : "manual", now);
    if (revoked === null) throw new AppError("conflict", "this API key is already revoked");
    const alsoRevoked: KeyRow[] = request.force ? await revokeGraceOfLineage(deps.db, row.lineageId, now) : [];
    for (const changed of [revoked, ...alsoRevoked]) {
      deps.events.changed(changed, "revoked");
      deps.events.audit("revoked", changed, {
        actor: request.actor,
        details: { force: request.force, ...(changed.id === revoked.id ? {} : { viaLineageOf: revoked.id }) },
      });
    }
    return { key: toKeyInfo(revoked, now), alsoRevoked: alsoRevoked.map((k) => k.id) };
  });
}
