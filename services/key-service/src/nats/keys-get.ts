/** keys.v1.get: one key, if the caller may see it. */
import { KeysGet } from "@thinkwatch/proto";
import type { KeyServiceDeps } from "../deps.js";
import { toKeyInfo } from "../keys/key-info.js";
import { loadOwnedKey } from "../keys/owned-key.js";

export function registerKeysGet(deps: KeyServiceDeps): void {
  deps.bus.serve(KeysGet, async (request) => {
    const row = await loadOwnedKey(deps.db, request.id, request.actor);
    return { key: toKeyInfo(row, deps.now()) };
  });
}
