/** keys.v1.reveal: the sealed plaintext of a key minted by automatic rotation, to its owner, exactly once. */
import { AppError } from "@thinkwatch/errors";
import { KeysReveal } from "@thinkwatch/proto";
import type { KeyServiceDeps } from "../deps.js";
import { toKeyInfo } from "../keys/key-info.js";
import { takeSealedPlaintext } from "../keys/key-store.js";
import { loadOwnedKey } from "../keys/owned-key.js";

export function registerKeysReveal(deps: KeyServiceDeps): void {
  deps.bus.serve(KeysReveal, async (request) => {
    await loadOwnedKey(deps.db, request.id, request.actor);
    const now = deps.now();
    const taken = await takeSealedPlaintext(deps.db, request.id, now);
    if (taken === null) throw new AppError("conflict", "this API key has no plaintext to reveal (it is shown only once)");
    deps.events.audit("revealed", taken.row, { actor: request.actor });
    return { key: toKeyInfo(taken.row, now), sealedPlaintext: taken.sealed };
  });
}
