/** /api/keys: virtual keys (`tw-…`) — create (the plaintext is answered once), list, revoke. */
import { ApiKeyInfoSchema, SurfaceSchema } from "@thinkwatch/proto";
import * as v from "valibot";

export { type Surface, SurfaceSchema } from "@thinkwatch/proto";

export const MAX_KEY_EXPIRY_DAYS = 3650;

export const CreateKeyRequestSchema = v.object({
  name: v.pipe(v.string("name is required"), v.trim(), v.minLength(1, "name is required"), v.maxLength(200)),
  surfaces: v.optional(v.pipe(v.array(SurfaceSchema), v.minLength(1, "give at least one surface"))),
  /** null or absent: every model the gateway routes. */
  allowedModels: v.optional(v.nullable(v.array(v.pipe(v.string(), v.trim(), v.minLength(1))))),
  expiresInDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_KEY_EXPIRY_DAYS))),
  /** Admins may create a key for another user. */
  userId: v.optional(v.pipe(v.string(), v.uuid("userId must be a UUID"))),
});
export type CreateKeyRequest = v.InferInput<typeof CreateKeyRequestSchema>;

/** A key as listed: never the plaintext, only its prefix. Times are epoch milliseconds. */
export const ApiKeySchema = ApiKeyInfoSchema;
export type ApiKey = v.InferOutput<typeof ApiKeySchema>;

export const CreatedKeySchema = v.object({
  key: ApiKeySchema,
  /** Shown to the user once; admin-api keeps only its hash. */
  plaintext: v.string(),
});
export type CreatedKey = v.InferOutput<typeof CreatedKeySchema>;

export const KeyListResponseSchema = v.object({ keys: v.array(ApiKeySchema) });
export const KeyResponseSchema = v.object({ key: ApiKeySchema });
