/**
 * The owner check of the key-service contract: a caller who may not act on others' keys sees only their own. A key
 * that exists but is not theirs is `not_found`, exactly like one that does not exist, so ids cannot be probed.
 */
import { AppError } from "@thinkwatch/errors";
import type { KeyActor } from "@thinkwatch/proto";
import { type Executor, findById, type KeyRow } from "./key-store.js";

export async function loadOwnedKey(db: Executor, id: string, actor: KeyActor): Promise<KeyRow> {
  const row = await findById(db, id);
  if (row === null || (!actor.mayActOnOthers && row.userId !== actor.userId)) {
    throw new AppError("not_found", `no API key with id ${id}`);
  }
  return row;
}
