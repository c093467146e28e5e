/**
 * Read-models admin-api compiles into the `config` KV bucket after each committed change. Every replica of every
 * service watches the keys it needs and converges within a second, without a restart.
 */
import * as v from "valibot";
import { McpRegistrySchema, McpToolGrantsReadModelSchema } from "./mcp.js";
import { QuotaIndexSchema } from "./quota.js";
import { SettingsReadModelSchema } from "./settings.js";

export const ProviderKindSchema = v.picklist(["openai", "anthropic", "gemini", "azure_openai", "bedrock", "openai_compatible"]);
export type ProviderKind = v.InferOutput<typeof ProviderKindSchema>;

export const RoutedProviderSchema = v.object({
  id: v.string(),
  name: v.string(),
  kind: ProviderKindSchema,
  baseUrl: v.string(),
  /** AES-256-GCM ciphertext (see @thinkwatch/crypto); edges decrypt with ENCRYPTION_KEY when the table loads. */
  apiKeyEncrypted: v.nullable(v.string()),
  /** Kind-specific settings: Azure api-version, Bedrock region and access key id, extra headers. */
  settings: v.record(v.string(), v.unknown()),
  /** AES-256-GCM ciphertext of a JSON object of secret headers (added to `settings.headers` when sent upstream). */
  secretHeadersEncrypted: v.optional(v.nullable(v.string()), null),
});
export type RoutedProvider = v.InferOutput<typeof RoutedProviderSchema>;

/** One way of serving a model: a provider, the name it knows the model by, and how traffic is shared. */
export const ModelRouteSchema = v.object({
  /** Stable id: the circuit breaker and the per-route caps are keyed by it. */
  id: v.string(),
  providerId: v.string(),
  /** The name the upstream expects (Azure deployment, Bedrock model id). */
  upstreamModel: v.string(),
  /** Share of traffic among the enabled routes of the same priority. */
  weight: v.number(),
  /** Lower is preferred: routes of a later priority only serve when every route of a better one cannot. */
  priority: v.number(),
  /** Requests per minute this route may take (all replicas together); null: no cap. A capped route is skipped. */
  rpmLimit: v.nullable(v.number()),
  /** Tokens (input + output) per minute; null: no cap. */
  tpmLimit: v.nullable(v.number()),
});
export type ModelRoute = v.InferOutput<typeof ModelRouteSchema>;

export const RoutedModelSchema = v.object({
  /** The name clients send. */
  model: v.string(),
  /** Enabled routes of active providers only; a model whose routes are all disabled is not published. */
  routes: v.array(ModelRouteSchema),
});
export type RoutedModel = v.InferOutput<typeof RoutedModelSchema>;

export const RoutingTableSchema = v.object({
  revision: v.number(),
  providers: v.array(RoutedProviderSchema),
  models: v.array(RoutedModelSchema),
  /** The first admin exists: from then on ai-proxy is ready only with a usable provider. */
  setupComplete: v.optional(v.boolean(), false),
});
export type RoutingTable = v.InferOutput<typeof RoutingTableSchema>;

export const LogChannelSchema = v.object({
  id: v.string(),
  name: v.string(),
  kind: v.picklist(["webhook", "syslog", "kafka"]),
  enabled: v.boolean(),
  /** Epoch ms; a new channel receives every event stored since this moment, however late its consumer starts. */
  createdAt: v.number(),
  /** Kind-specific: webhook `url` and `headers`; syslog host/port/protocol; kafka brokers/topic (log-channels.ts). */
  settings: v.record(v.string(), v.unknown()),
  /** Event kinds this channel receives (EVENT_KINDS in log-channels.ts); empty: every kind. */
  eventKinds: v.optional(v.array(v.string()), []),
});
export type LogChannel = v.InferOutput<typeof LogChannelSchema>;

export const LogChannelsSchema = v.object({ revision: v.number(), channels: v.array(LogChannelSchema) });
export type LogChannels = v.InferOutput<typeof LogChannelsSchema>;

/** Prices (USD per million tokens) and quota multipliers of one model. */
export const ModelPriceSchema = v.object({
  inputPerMTok: v.pipe(v.number(), v.minValue(0)),
  outputPerMTok: v.pipe(v.number(), v.minValue(0)),
  /** Cached input tokens; null: billed as ordinary input. */
  cachedInputPerMTok: v.nullable(v.pipe(v.number(), v.minValue(0))),
  inputMultiplier: v.pipe(v.number(), v.minValue(0)),
  outputMultiplier: v.pipe(v.number(), v.minValue(0)),
});
export type ModelPrice = v.InferOutput<typeof ModelPriceSchema>;

/** The `pricing` read-model: the shipped default table merged with admin overrides, by model name. */
export const PricingTableSchema = v.object({ revision: v.number(), models: v.record(v.string(), ModelPriceSchema) });
export type PricingTable = v.InferOutput<typeof PricingTableSchema>;

export const CONFIG_KEYS = {
  routing: { key: "routing", schema: RoutingTableSchema },
  logChannels: { key: "log_channels", schema: LogChannelsSchema },
  settings: { key: "settings", schema: SettingsReadModelSchema },
  pricing: { key: "pricing", schema: PricingTableSchema },
  quotaIndex: { key: "quota_index", schema: QuotaIndexSchema },
  mcpServers: { key: "mcp_servers", schema: McpRegistrySchema },
  mcpToolGrants: { key: "mcp_tool_grants", schema: McpToolGrantsReadModelSchema },
} as const;
