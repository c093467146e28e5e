/**
 * key-service contracts: the virtual key lifecycle (create, verify, list, get, update, rotate, reveal, revoke,
 * delete), the edges' batched usage report, and the change broadcast edges listen to.
 */
import * as v from "valibot";
import { eventContract, requestContract } from "./contract.js";

export const SurfaceSchema = v.picklist(["ai_gateway", "mcp_gateway", "console"]);
export type Surface = v.InferOutput<typeof SurfaceSchema>;

export const KeyOwnerKindSchema = v.picklist(["user", "service_account"]);
export type KeyOwnerKind = v.InferOutput<typeof KeyOwnerKindSchema>;

/**
 * Where a key stands at the moment of the reply. Only `active` and `grace` (rotated, predecessor still accepted) keys
 * are accepted at the gateways; `rotated` is a predecessor whose grace period is over.
 */
export const KeyStatusSchema = v.picklist([
  "active",
  "grace",
  "rotated",
  "expired",
  "revoked",
  "disabled",
  "suspended",
  "deleted",
]);
export type KeyStatus = v.InferOutput<typeof KeyStatusSchema>;

const Uuid = v.pipe(v.string(), v.uuid());
const KeyHash = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "must be a SHA-256 hex digest"));
const Days = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650));
/** A name pattern: `*` matches any run of characters (`gpt-4o*`, `github__*`); no whitespace. */
export const NamePatternSchema = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, "a pattern may not be empty"),
  v.maxLength(200, "a pattern is at most 200 characters"),
  v.regex(/^\S+$/, "a pattern may not contain whitespace"),
);
const Patterns = v.pipe(v.array(NamePatternSchema), v.maxLength(200, "at most 200 patterns"));
const KeyName = v.pipe(v.string(), v.trim(), v.minLength(1, "name is required"), v.maxLength(200));
const CostCenter = v.pipe(v.string(), v.trim(), v.maxLength(200));

export const ApiKeyInfoSchema = v.object({
  id: Uuid,
  name: v.string(),
  /** The first characters of the key, safe to show so users can tell keys apart. */
  prefix: v.string(),
  ownerKind: KeyOwnerKindSchema,
  /** The owner (a user or a service account). */
  userId: Uuid,
  teamId: v.nullable(Uuid),
  costCenter: v.nullable(v.string()),
  surfaces: v.array(SurfaceSchema),
  /** Model name patterns; null: every model the routing table knows. */
  allowedModels: v.nullable(v.array(v.string())),
  /** MCP tool name patterns; null: every tool the key's owner may use. */
  allowedMcpTools: v.nullable(v.array(v.string())),
  /**
   * Strict conversion for every request with this key: what the upstream format cannot carry is refused with a 400
   * instead of dropped. Optional on the wire so a replica that predates it still validates.
   */
  strictConversion: v.optional(v.boolean(), false),
  expiresAt: v.nullable(v.number()),
  inactivityTimeoutDays: v.nullable(v.number()),
  rotationPeriodDays: v.nullable(v.number()),
  /** Shared by a key and its rotated successors: quota and usage count per lineage. */
  lineageId: Uuid,
  rotatedFromId: v.nullable(Uuid),
  supersededById: v.nullable(Uuid),
  /** A rotated-out key works until then. */
  graceEndsAt: v.nullable(v.number()),
  revokedAt: v.nullable(v.number()),
  revokedReason: v.nullable(v.string()),
  disabledAt: v.nullable(v.number()),
  disabledReason: v.nullable(v.string()),
  suspendedAt: v.nullable(v.number()),
  deletedAt: v.nullable(v.number()),
  lastUsedAt: v.nullable(v.number()),
  /** An automatic rotation minted this key; its plaintext can be revealed once. */
  pendingReveal: v.boolean(),
  status: KeyStatusSchema,
  createdAt: v.number(),
  updatedAt: v.number(),
});
export type ApiKeyInfo = v.InferOutput<typeof ApiKeyInfoSchema>;

/**
 * Who asks for a change, as admin-api authenticated them. key-service owns the owner check: a caller who may not act
 * on others' keys gets `not_found` for a key that is not theirs.
 */
export const KeyActorSchema = v.object({
  userId: Uuid,
  mayActOnOthers: v.boolean(),
  name: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(1000))), null),
  ip: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(1000))), null),
  userAgent: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(1000))), null),
  requestId: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(200))), null),
});
export type KeyActor = v.InferOutput<typeof KeyActorSchema>;

export const KeysVerify = requestContract("keys.v1.verify", v.object({ keyHash: KeyHash }), v.object({ key: ApiKeyInfoSchema }));

/**
 * What key-service stores of a new key. The caller (admin-api) mints the key and keeps the plaintext for its user;
 * only the hash and the visible prefix cross the bus, so no plaintext key is ever in a NATS message.
 */
export const MintedKeySchema = v.object({
  keyHash: KeyHash,
  keyPrefix: v.pipe(v.string(), v.regex(/^tw-[0-9A-Za-z]{4}$/, "must be the first 7 characters of a tw- key")),
});

export const KeysCreate = requestContract(
  "keys.v1.create",
  v.object({
    minted: MintedKeySchema,
    userId: Uuid,
    ownerKind: v.optional(KeyOwnerKindSchema, "user"),
    teamId: v.optional(v.nullable(Uuid)),
    costCenter: v.optional(v.nullable(CostCenter)),
    name: KeyName,
    surfaces: v.optional(v.pipe(v.array(SurfaceSchema), v.minLength(1)), ["ai_gateway", "mcp_gateway"]),
    allowedModels: v.optional(v.nullable(Patterns)),
    allowedMcpTools: v.optional(v.nullable(Patterns)),
    strictConversion: v.optional(v.boolean(), false),
    /** Left out: the default expiry from settings; null: never. */
    expiresAt: v.optional(v.nullable(v.number())),
    /** Left out: the default from settings; null: none. */
    inactivityTimeoutDays: v.optional(v.nullable(Days)),
    rotationPeriodDays: v.optional(v.nullable(Days)),
    actor: v.optional(KeyActorSchema),
  }),
  v.object({ key: ApiKeyInfoSchema }),
);

export const KeysList = requestContract(
  "keys.v1.list",
  v.object({ userId: v.optional(Uuid), includeDeleted: v.optional(v.boolean(), false) }),
  v.object({ keys: v.array(ApiKeyInfoSchema) }),
);

export const KeysGet = requestContract(
  "keys.v1.get",
  v.object({ id: Uuid, actor: KeyActorSchema }),
  v.object({ key: ApiKeyInfoSchema }),
);

export const KeyPatchSchema = v.object({
  name: v.optional(KeyName),
  teamId: v.optional(v.nullable(Uuid)),
  costCenter: v.optional(v.nullable(CostCenter)),
  surfaces: v.optional(v.pipe(v.array(SurfaceSchema), v.minLength(1, "give at least one surface"))),
  allowedModels: v.optional(v.nullable(Patterns)),
  allowedMcpTools: v.optional(v.nullable(Patterns)),
  strictConversion: v.optional(v.boolean()),
  expiresAt: v.optional(v.nullable(v.number())),
  inactivityTimeoutDays: v.optional(v.nullable(Days)),
  rotationPeriodDays: v.optional(v.nullable(Days)),
});
export type KeyPatch = v.InferOutput<typeof KeyPatchSchema>;

export const KeysUpdate = requestContract(
  "keys.v1.update",
  v.object({ id: Uuid, actor: KeyActorSchema, patch: KeyPatchSchema }),
  v.object({ key: ApiKeyInfoSchema }),
);

export const KeysRotate = requestContract(
  "keys.v1.rotate",
  v.object({
    id: Uuid,
    actor: KeyActorSchema,
    /** The successor, minted by the caller like a new key. */
    minted: MintedKeySchema,
    /** Overrides the `api_keys.rotationGraceHours` setting for this rotation. */
    graceHours: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(720))),
  }),
  v.object({ key: ApiKeyInfoSchema, previous: ApiKeyInfoSchema }),
);

/**
 * A successor minted by automatic rotation, exactly once: its plaintext sealed with the deployment's keyring
 * (AES-256-GCM), which the caller opens — never the plaintext itself on the bus.
 */
export const KeysReveal = requestContract(
  "keys.v1.reveal",
  v.object({ id: Uuid, actor: KeyActorSchema }),
  v.object({ key: ApiKeyInfoSchema, sealedPlaintext: v.string() }),
);

export const KeysRevoke = requestContract(
  "keys.v1.revoke",
  v.object({
    id: Uuid,
    actor: KeyActorSchema,
    /** Also stop rotated predecessors still in their grace period (and allow revoking a key in its grace period). */
    force: v.optional(v.boolean(), false),
  }),
  v.object({ key: ApiKeyInfoSchema, alsoRevoked: v.array(Uuid) }),
);

/** Soft delete: the key stops working at once and is purged after `api_keys.purgeAfterDays`. */
export const KeysDelete = requestContract(
  "keys.v1.delete",
  v.object({ id: Uuid, actor: KeyActorSchema }),
  v.object({ key: ApiKeyInfoSchema }),
);

/**
 * Edges report which keys they served, in batches (one message per edge every few seconds), so `last_used_at` is
 * kept without a database write per request. Queue-grouped: one key-service replica writes each batch.
 */
export const KeysTouch = requestContract(
  "keys.v1.touch",
  v.object({ keyIds: v.pipe(v.array(Uuid), v.maxLength(10_000)), at: v.number() }),
  v.object({ updated: v.number() }),
);

export const KeyChangeSchema = v.picklist([
  "created",
  "updated",
  "revoked",
  "deleted",
  "rotated",
  "expired",
  "disabled",
  "suspended",
  "restored",
  "purged",
]);

/** Core NATS broadcast (every replica of every edge receives it) so cached verifications are dropped at once. */
export const KeysChanged = eventContract("keys.v1.changed", v.object({ keyId: Uuid, keyHash: KeyHash, change: KeyChangeSchema }));
