/** Providers: what an admin sends to create or change one. Secrets (apiKey, secretHeaders) are write-only. */
import { ProviderKindSchema } from "@thinkwatch/proto";
import * as v from "valibot";

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
const SecretHeaders = v.record(v.string(), v.string());

export const CreateProviderSchema = v.strictObject({
  name: Name,
  kind: ProviderKindSchema,
  baseUrl: v.optional(HttpUrl),
  apiKey: v.optional(ApiKey),
  settings: v.optional(Settings, {}),
  /** Headers carrying secrets; stored encrypted, only their names are ever read back. */
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
export type CreateProviderInput = v.InferOutput<typeof CreateProviderSchema>;

/** PATCH: every field optional; `null` clears the API key or the secret headers. The kind cannot change. */
export const UpdateProviderSchema = v.strictObject({
  name: v.optional(Name),
  baseUrl: v.optional(HttpUrl),
  apiKey: v.optional(v.nullable(ApiKey)),
  settings: v.optional(Settings),
  secretHeaders: v.optional(v.nullable(SecretHeaders)),
  isActive: v.optional(v.boolean()),
});
export type UpdateProviderInput = v.InferOutput<typeof UpdateProviderSchema>;

export const ProviderViewSchema = v.object({
  id: v.string(),
  name: v.string(),
  kind: ProviderKindSchema,
  baseUrl: v.string(),
  hasApiKey: v.boolean(),
  /** `sk-…1234` for long keys, `…` for short ones, null without a key or when it cannot be decrypted. */
  apiKeyHint: v.nullable(v.string()),
  secretHeaderNames: v.array(v.string()),
  status: v.picklist(["active", "inactive", "degraded"]),
  statusReason: v.nullable(v.string()),
  settings: v.record(v.string(), v.unknown()),
  isActive: v.boolean(),
  createdAt: v.string(),
  models: v.array(
    v.object({ id: v.string(), model: v.string(), providerId: v.string(), upstreamModel: v.string(), isActive: v.boolean() }),
  ),
});
export type ProviderView = v.InferOutput<typeof ProviderViewSchema>;
