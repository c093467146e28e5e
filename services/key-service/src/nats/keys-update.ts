/** keys.v1.update: name, team, cost center, scopes, expiry, inactivity timeout, rotation period of a live key. */
import { AppError } from "@thinkwatch/errors";
import { KeysUpdate } from "@thinkwatch/proto";
import type { KeyServiceDeps } from "../deps.js";
import { toKeyInfo } from "../keys/key-info.js";
import { updateKey } from "../keys/key-store.js";
import { loadOwnedKey } from "../keys/owned-key.js";

export function registerKeysUpdate(deps: KeyServiceDeps): void {
  deps.bus.serve(KeysUpdate, async (request) => {
    const before = await loadOwnedKey(deps.db, request.id, request.actor);
    const now = deps.now();
    const row = await updateKey(deps.db, request.id, request.patch, now);
    if (row === null) {
      throw new AppError("conflict", `this API key is ${toKeyInfo(before, now).status} and can no longer be changed`);
    }
    const key = toKeyInfo(row, now);
    deps.events.changed(row, "updated");
    deps.events.audit("updated", row, { actor: request.actor, before: toKeyInfo(before, now), after: key });
    return { key };
  });
}
