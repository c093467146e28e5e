/**
 * /api/keys: the virtual key lifecycle on the console — create (plaintext once), list, read, edit scopes and expiry,
 * rotate (new plaintext once), reveal an automatically rotated key once, revoke (`?force=true`), soft delete.
 * Key info itself is key-service's contract (proto), passed through unchanged.
 */
import { ApiKeyInfoSchema, KeyOwnerKindSchema, NamePatternSchema, SurfaceSchema } from "@thinkwatch/proto";
import * as v from "valibot";

export { type KeyStatus, KeyStatusSchema, type Surface, SurfaceSchema } from "@thinkwatch/proto";

export const MAX_KEY_EXPIRY_DAYS = 3650;

const Uuid = (what: string) => v.pipe(v.string(`${what} must be a UUID`), v.uuid(`${what} must be a UUID`));
const Patterns = v.pipe(v.array(NamePatternSchema), v.maxLength(200, "at most 200 patterns"));
const Days = (what: string) =>
  v.pipe(
    v.number(`${what} must be a number of days`),
    v.integer(`${what} must be a whole number of days`),
    v.minValue(1, `${what} must be at least 1 day`),
    v.maxValue(MAX_KEY_EXPIRY_DAYS, `${what} must be at most ${MAX_KEY_EXPIRY_DAYS} days`),
  );
const Name = v.pipe(v.string("name is required"), v.trim(), v.minLength(1, "name is required"), v.maxLength(200));
const StrictConversion = v.boolean("strictConversion must be true or false");
const CostCenter = v.pipe(v.string("costCenter must be a string"), v.trim(), v.maxLength(200));
const Surfaces = v.pipe(v.array(SurfaceSchema), v.minLength(1, "give at least one surface"));
/** An absolute expiry (epoch ms) in the future is checked by the handler against the clock. */
const ExpiresAt = v.pipe(v.number("expiresAt must be epoch milliseconds"), v.integer(), v.minValue(0));

export const ApiKeySchema = ApiKeyInfoSchema;
export type ApiKey = v.InferOutput<typeof ApiKeySchema>;

export const CreateKeyRequestSchema = v.strictObject({
  name: Name,
  surfaces: v.optional(Surfaces),
  allowedModels: v.optional(v.nullable(Patterns)),
  allowedMcpTools: v.optional(v.nullable(Patterns)),
  /** Refuse (400) what a converted request cannot carry instead of dropping it, for every request with this key. */
  strictConversion: v.optional(StrictConversion),
  teamId: v.optional(v.nullable(Uuid("teamId"))),
  costCenter: v.optional(v.nullable(CostCenter)),
  /** Either a lifetime in days or an absolute time; neither: the default from settings. */
  expiresInDays: v.optional(Days("expiresInDays")),
  expiresAt: v.optional(v.nullable(ExpiresAt)),
  inactivityTimeoutDays: v.optional(v.nullable(Days("inactivityTimeoutDays"))),
  rotationPeriodDays: v.optional(v.nullable(Days("rotationPeriodDays"))),
  /** Admins may create a key for another user or a service account. */
  userId: v.optional(Uuid("userId")),
  ownerKind: v.optional(KeyOwnerKindSchema),
});
export type CreateKeyRequest = v.InferInput<typeof CreateKeyRequestSchema>;

export const UpdateKeyRequestSchema = v.strictObject({
  name: v.optional(Name),
  surfaces: v.optional(Surfaces),
  allowedModels: v.optional(v.nullable(Patterns)),
  allowedMcpTools: v.optional(v.nullable(Patterns)),
  /** Refuse (400) what a converted request cannot carry instead of dropping it, for every request with this key. */
  strictConversion: v.optional(StrictConversion),
  teamId: v.optional(v.nullable(Uuid("teamId"))),
  costCenter: v.optional(v.nullable(CostCenter)),
  expiresAt: v.optional(v.nullable(ExpiresAt)),
  inactivityTimeoutDays: v.optional(v.nullable(Days("inactivityTimeoutDays"))),
  rotationPeriodDays: v.optional(v.nullable(Days("rotationPeriodDays"))),
});
export type UpdateKeyRequest = v.InferInput<typeof UpdateKeyRequestSchema>;

export const RotateKeyRequestSchema = v.strictObject({
  /** Grace period for this rotation; default: the `api_keys.rotationGraceHours` setting. */
  graceHours: v.optional(
    v.pipe(v.number("graceHours must be a number"), v.minValue(0, "graceHours may not be negative"), v.maxValue(720)),
  ),
});
export type RotateKeyRequest = v.InferInput<typeof RotateKeyRequestSchema>;

export const KeyResponseSchema = v.object({ key: ApiKeySchema });
export const KeyListResponseSchema = v.object({ keys: v.array(ApiKeySchema) });
/** A new key: the plaintext is shown to the user once; key-service keeps only its hash. */
export const CreatedKeySchema = v.object({ key: ApiKeySchema, plaintext: v.string() });
export type CreatedKey = v.InferOutput<typeof CreatedKeySchema>;
export const RotateKeyResponseSchema = v.object({ key: ApiKeySchema, previous: ApiKeySchema, plaintext: v.string() });
export const RevokeKeyResponseSchema = v.object({ key: ApiKeySchema, alsoRevoked: v.array(v.string()) });
export type RevokeKeyResponse = v.InferOutput<typeof RevokeKeyResponseSchema>;
export type RotateKeyResponse = v.InferOutput<typeof RotateKeyResponseSchema>;
