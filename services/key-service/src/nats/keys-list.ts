/** keys.v1.list: keys of one user, or all keys (admin-api decides who may ask for all). */
import { KeysList } from "@thinkwatch/proto";
import type { KeyServiceDeps } from "../deps.js";
import { toKeyInfo } from "../keys/key-info.js";
import { listKeys } from "../keys/key-store.js";

export function registerKeysList(deps: KeyServiceDeps): void {
  deps.bus.serve(KeysList, async (request) => {
    const rows = await listKeys(deps.db, {
      ...(request.userId === undefined ? {} : { userId: request.userId }),
      includeDeleted: request.includeDeleted,
    });
    const now = deps.now();
    return { keys: rows.map((row) => toKeyInfo(row, now)) };
  });
}
