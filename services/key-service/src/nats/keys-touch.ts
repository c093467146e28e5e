/** keys.v1.touch: the edges' batched "these keys were used" report; one UPDATE per batch keeps last_used_at. */
import { KeysTouch } from "@thinkwatch/proto";
import type { KeyServiceDeps } from "../deps.js";
import { touchKeys } from "../keys/key-store.js";

export function registerKeysTouch(deps: KeyServiceDeps): void {
  deps.bus.serve(KeysTouch, async (request) => {
    // An edge's clock may run ahead; never record use in the future.
    const at = Math.min(request.at, deps.now());
    return { updated: await touchKeys(deps.db, [...new Set(request.keyIds)], at) };
  });
}
