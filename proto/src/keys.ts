/** key-service contracts: virtual key create, verify, list, revoke, and the change broadcast edges listen to. */
import * as v from "valibot";
import { eventContract, requestContract } from "./contract.js";

export const SurfaceSchema = v.picklist(["ai_gateway", "mcp_gateway"]);
export type Surface = v.InferOutput<typeof SurfaceSchema>;

const Uuid = v.pipe(v.string(), v.uuid());
const KeyHash = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "must be a SHA-256 hex digest"));

export const ApiKeyInfoSchema = v.object({
  id: Uuid,
  name: v.string(),
  /** The first characters of the key, safe to show so users can tell keys apart. */
  prefix: v.string(),
  userId: Uuid,
  teamId: v.nullable(Uuid),
  /** The first key of a rotation chain; rotated keys share it (quota counts api_key subjects by it). */
  lineageId: v.optional(v.nullable(Uuid)),
  surfaces: v.array(SurfaceSchema),
  /** null: every model the routing table knows. */
  allowedModels: v.nullable(v.array(v.string())),
  expiresAt: v.nullable(v.number()),
  revokedAt: v.nullable(v.number()),
  createdAt: v.number(),
});
export type ApiKeyInfo = v.InferOutput<typeof ApiKeyInfoSchema>;

export const KeysVerify = requestContract("keys.v1.verify", v.object({ keyHash: KeyHash }), v.object({ key: ApiKeyInfoSchema }));

export const KeysCreate = requestContract(
  "keys.v1.create",
  v.object({
    userId: Uuid,
    teamId: v.optional(v.nullable(Uuid)),
    name: v.pipe(v.string(), v.trim(), v.minLength(1, "name is required"), v.maxLength(200)),
    surfaces: v.optional(v.pipe(v.array(SurfaceSchema), v.minLength(1)), ["ai_gateway", "mcp_gateway"]),
    allowedModels: v.optional(v.nullable(v.array(v.pipe(v.string(), v.minLength(1))))),
    expiresAt: v.optional(v.nullable(v.number())),
  }),
  v.object({ key: ApiKeyInfoSchema, plaintext: v.string() }),
);

export const KeysList = requestContract(
  "keys.v1.list",
  v.object({ userId: v.optional(Uuid) }),
  v.object({ keys: v.array(ApiKeyInfoSchema) }),
);

export const KeysRevoke = requestContract("keys.v1.revoke", v.object({ id: Uuid }), v.object({ key: ApiKeyInfoSchema }));

/** Core NATS broadcast (every replica of every edge receives it) so cached verifications are dropped at once. */
export const KeysChanged = eventContract(
  "keys.v1.changed",
  v.object({ keyId: Uuid, keyHash: KeyHash, change: v.picklist(["created", "updated", "revoked", "deleted"]) }),
);
