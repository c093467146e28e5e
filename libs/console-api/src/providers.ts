/** /api/admin/providers: upstream AI providers and the models routed to them (models and routes: models.ts). */
import { ProviderKindSchema } from "@thinkwatch/proto";
import * as v from "valibot";

export { type ProviderKind, ProviderKindSchema } from "@thinkwatch/proto";

const HttpUrl = v.pipe(
  v.string(),
  v.trim(),
  v.check((value) => /^https?:\/\/[^\s/]+/.test(value), "must be an http(s) URL"),
  v.transform((value) => value.replace(/\/+$/, "")),
);

/** The per-kind rules (base URL, Azure api-version, Bedrock region…) are checked after this, in admin-api. */
export const CreateProviderRequestSchema = v.object({
  name: v.pipe(v.string("name is required"), v.trim(), v.minLength(1, "name is required"), v.maxLength(100)),
  kind: ProviderKindSchema,
  baseUrl: v.optional(HttpUrl),
  apiKey: v.optional(v.pipe(v.string(), v.minLength(1))),
  settings: v.optional(v.record(v.string(), v.unknown()), {}),
  models: v.optional(
    v.array(
      v.object({
        model: v.pipe(v.string(), v.trim(), v.minLength(1)),
        upstreamModel: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1))),
      }),
    ),
    [],
  ),
});
export type CreateProviderRequest = v.InferInput<typeof CreateProviderRequestSchema>;
export type CreateProviderInput = v.InferOutput<typeof CreateProviderRequestSchema>;

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

export const ProviderSchema = v.object({
  id: v.string(),
  name: v.string(),
  kind: ProviderKindSchema,
  baseUrl: v.string(),
  /** The key itself never leaves admin-api. */
  hasApiKey: v.boolean(),
  settings: v.record(v.string(), v.unknown()),
  isActive: v.boolean(),
  /** ISO timestamp. */
  createdAt: v.string(),
  models: v.array(ProviderModelSchema),
});
export type Provider = v.InferOutput<typeof ProviderSchema>;

export const ProviderListResponseSchema = v.object({ providers: v.array(ProviderSchema) });
export const ProviderResponseSchema = v.object({ provider: ProviderSchema });
