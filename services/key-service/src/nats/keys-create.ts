/**
 * keys.v1.create: store a new key (its hash and prefix; the caller minted it and keeps the plaintext). Expiry and inactivity
 * timeout left out of the request take the defaults from the `api_keys` settings.
 */
import { KeysCreate } from "@thinkwatch/proto";
import type { KeyServiceDeps } from "../deps.js";
import { toKeyInfo } from "../keys/key-info.js";
import { insertKey } from "../keys/key-store.js";

const DAY_MS = 86_400_000;

export function registerKeysCreate(deps: KeyServiceDeps): void {
  deps.bus.serve(KeysCreate, async (request) => {
    const now = deps.now();
    const defaults = deps.settings.current().api_keys;
    const { minted } = request;
    const expiresAt =
      request.expiresAt !== undefined
        ? request.expiresAt
        : defaults.defaultExpiryDays > 0
          ? now + defaults.defaultExpiryDays * DAY_MS
          : null;
    const inactivityTimeoutDays =
      request.inactivityTimeoutDays !== undefined
        ? request.inactivityTimeoutDays
        : defaults.defaultInactivityDays > 0
          ? defaults.defaultInactivityDays
          : null;
    const row = await insertKey(
      deps.db,
      {
        ownerKind: request.ownerKind,
        userId: request.userId,
        teamId: request.teamId ?? null,
        costCenter: request.costCenter ?? null,
        name: request.name,
        keyHash: minted.keyHash,
        keyPrefix: minted.keyPrefix,
        surfaces: request.surfaces,
        allowedModels: request.allowedModels ?? null,
        allowedMcpTools: request.allowedMcpTools ?? null,
        strictConversion: request.strictConversion,
        expiresAt,
        inactivityTimeoutDays,
        rotationPeriodDays: request.rotationPeriodDays ?? null,
        lineageId: null,
        rotatedFromId: null,
        sealedPlaintext: null,
      },
      now,
    );
    const key = toKeyInfo(row, now);
    deps.events.changed(row, "created");
    deps.events.audit("created", row, { ...(request.actor === undefined ? {} : { actor: request.actor }), after: key });
    return { key };
  });
}
