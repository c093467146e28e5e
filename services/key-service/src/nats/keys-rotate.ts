/**
 * keys.v1.rotate: a successor key (minted by the caller, which shows its plaintext once) in the same lineage; the old key keeps working for the
 * grace period (the request's, else the `api_keys.rotationGraceHours` setting). Rotating a key that was already
 * rotated is refused with a 409 that names its successor.
 */
import { KeysRotate } from "@thinkwatch/proto";
import type { KeyServiceDeps } from "../deps.js";
import { toKeyInfo } from "../keys/key-info.js";
import { loadOwnedKey } from "../keys/owned-key.js";
import { rotateKey } from "../keys/rotate-key.js";

export function registerKeysRotate(deps: KeyServiceDeps): void {
  deps.bus.serve(KeysRotate, async (request) => {
    const row = await loadOwnedKey(deps.db, request.id, request.actor);
    const now = deps.now();
    const graceHours = request.graceHours ?? deps.settings.current().api_keys.rotationGraceHours;
    const { previous, successor } = await rotateKey(deps, row, { now, graceHours, minted: request.minted });
    deps.events.changed(previous, "rotated");
    deps.events.changed(successor, "created");
    const key = toKeyInfo(successor, now);
    deps.events.audit("rotated", previous, {
      actor: request.actor,
      details: { successorId: successor.id, successorPrefix: successor.keyPrefix, graceHours, automatic: false },
    });
    return { key, previous: toKeyInfo(previous, now) };
  });
}
