/** keys.v1.delete: soft delete — the key stops working at once and the enforcer purges it later. */
import { AppError } from "@thinkwatch/errors";
import { KeysDelete } from "@thinkwatch/proto";
import type { KeyServiceDeps } from "../deps.js";
import { toKeyInfo } from "../keys/key-info.js";
import { softDeleteKey } from "../keys/key-store.js";
import { loadOwnedKey } from "../keys/owned-key.js";

export function registerKeysDelete(deps: KeyServiceDeps): void {
  deps.bus.serve(KeysDelete, async (request) => {
    await loadOwnedKey(deps.db, request.id, request.actor);
    const now = deps.now();
    const row = await softDeleteKey(deps.db, request.id, now);
    if (row === null) throw new AppError("not_found", `no API key with id ${request.id}`);
    deps.events.changed(row, "deleted");
    deps.events.audit("deleted", row, {
      actor: request.actor,
      details: { purgeAfterDays: deps.settings.current().api_keys.purgeAfterDays },
    });
    return { key: toKeyInfo(row, now) };
  });
}
