/**
 * /api/admin/providers: upstream AI providers and the models routed to them (models and routes: models.ts). Secrets
 * (apiKey, secretHeaders) are write-only: reads show whether they exist, a hint and the secret headers' names.
 */
import { ProviderKindSchema } from "@thinkwatch/proto";
import * as v from "valibot";

export { type ProviderKind, ProviderKindSchema } from "@thinkwatch/proto";

const HttpUrl = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(2000),
  v.check((value) => /^https?:\/\/[^\s/]+/.test(value), "must be an http(s) URL"),
  v.transform((value) => value.replace(/\/+$/, "")),
);

const Name = v.pipe(v.string("name is required"), v.trim(), v.minLength(1, "name is required"), v.maxLength(100));
const ApiKey = v.pipe(v.string(), v.minLength(1), v.maxLength(8192));
const Settings = v.record(v.pipe(v.string(), v.maxLength(100)), v.unknown());
/** Headers carrying secrets; stored encrypted, only their names are ever read back. */
const SecretHeaders = v.record(v.string(), v.string());

/**
 * The per-kind rules (base URL, Azure api-version, Bedrock region…), the egress policy for the base URL and the
 * header rules are checked after this, in admin-api.
 */
export const CreateProviderRequestSchema = v.strictObject({
  name: Name,
  kind: ProviderKindSchema,
  baseUrl: v.optional(HttpUrl),
  apiKey: v.optional(ApiKey),
  settings: v.optional(Settings, {}),
  secretHeaders: v.optional(SecretHeaders),
  models: v.optional(
    v.array(
      v.strictObject({
        model: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
        upstreamModel: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
      }),
    ),
    [],
  ),
});
export type CreateProviderRequest = v.InferInput<typeof CreateProviderRequestSchema>;
export type CreateProviderInput = v.InferOutput<typeof CreateProviderRequestSchema>;

/** PATCH: every field optional; `null` clears the API key or the secret headers. The kind cannot change. */
export const UpdateProviderRequestSchema = v.strictObject({
  name: v.optional(Name),
  baseUrl: v.optional(HttpUrl),
  apiKey: v.optional(v.nullable(ApiKey)),
  settings: v.optional(Settings),
  secretHeaders: v.optional(v.nullable(SecretHeaders)),
  isActive: v.optional(v.boolean()),
});
export type UpdateProviderRequest = v.InferInput<typeof UpdateProviderRequestSchema>;
export type UpdateProviderInput = v.InferOutput<typeof UpdateProviderRequestSchema>;

export const ProviderModelSchema = v.object({
  id: v.string(),
  /** The name clients send. */
  model: v.string(),
  providerId: v.string(),
  /** The provider's own name for it (Azure deployment, Bedrock model id). */
  upstreamModel: v.string(),
  isActive: v.boolean(),
});
export type ProviderModel = v.InferOutput<typeof ProviderModelSchema>;

export const ProviderStatusSchema = v.picklist(["active", "inactive", "degraded"]);

export const ProviderSchema = v.object({
  id: v.string(),
  name: v.string(),
  kind: ProviderKindSchema,
  baseUrl: v.string(),
  /** The key itself never leaves admin-api. */
  hasApiKey: v.boolean(),
  /** `sk-…1234` for long keys, `…` for short ones; null without a key or when it cannot be decrypted. */
  apiKeyHint: v.nullable(v.string()),
  secretHeaderNames: v.array(v.string()),
  /** `degraded`: a secret cannot be decrypted with the configured keys (statusReason says which and why). */
  status: ProviderStatusSchema,
  statusReason: v.nullable(v.string()),
  settings: v.record(v.string(), v.unknown()),
  isActive: v.boolean(),
  /** ISO timestamp. */
  createdAt: v.string(),
  models: v.array(ProviderModelSchema),
});
export type Provider = v.InferOutput<typeof ProviderSchema>;

export const ProviderListResponseSchema = v.object({ providers: v.array(ProviderSchema) });
export const ProviderResponseSchema = v.object({ provider: ProviderSchema });
