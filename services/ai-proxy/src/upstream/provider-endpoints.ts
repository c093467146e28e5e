/**
 * Where and how each provider kind is called: its wire format, URL and authentication, as data plus pure functions.
 * Generic gateway code asks this table and never branches on a provider name.
 */
import { AppError } from "@thinkwatch/errors";
import { BodyChunks } from "@thinkwatch/http";
import type { ProviderKind } from "@thinkwatch/proto";
import { bedrockRuntimePath, signAwsRequest, type UpstreamFormat } from "@thinkwatch/providers";
import type { ResolvedProvider } from "../routing/model-router.js";
import type { UpstreamBytes, UpstreamRequest } from "./upstream-http.js";

export type UpstreamOperation = "generate" | "embeddings" | "count_tokens";

export interface EndpointInput {
  provider: ResolvedProvider;
  upstreamModel: string;
  stream: boolean;
  operation: UpstreamOperation;
  body: UpstreamBytes;
  /** Headers from the client worth passing on when the formats match (e.g. `anthropic-beta`). */
  passHeaders?: Record<string, string>;
  /** The client's query string (`?beta=true`), passed on when the formats match. */
  passQuery?: string;
  /** `openai_responses` when the request goes to the Responses API of a kind that speaks both. */
  format?: UpstreamFormat;
}

export interface ProviderEndpoint {
  /** The API format this kind speaks. */
  format: UpstreamFormat;
  /** Operations it has; the gateway answers the others with a clear 400 instead of calling. */
  operations: readonly UpstreamOperation[];
  /**
   * OpenAI-format only: the upstream accepts `stream_options.include_usage`, so the gateway can ask for usage on
   * every stream (and hide the extra chunk from clients that did not ask). The common OpenAI-compatible servers
   * accept it; one that refuses unknown options can be told apart with settings.streamUsage = false.
   */
  streamUsageOption(provider: ResolvedProvider): boolean;
  /** The kind also serves the OpenAI Responses API (`/responses`) for this provider. */
  speaksResponses?(provider: ResolvedProvider): boolean;
  build(input: EndpointInput): UpstreamRequest;
}

const JSON_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
const ANTHROPIC_VERSION = "2023-06-01";

/**
 * What a provider contributes to every request, worked out once per provider object (the routing table resolves
 * them once per revision): its base URL without a trailing slash, and its extra headers.
 */
interface ProviderParts {
  base: string;
  extraHeaders: Readonly<Record<string, string>>;
}
const partsOf = new WeakMap<ResolvedProvider, ProviderParts>();

function parts(provider: ResolvedProvider): ProviderParts {
  let found = partsOf.get(provider);
  if (found === undefined) {
    found = { base: provider.baseUrl.replace(/\/+$/, ""), extraHeaders: readExtraHeaders(provider) };
    partsOf.set(provider, found);
  }
  return found;
}

function base(provider: ResolvedProvider): string {
  return parts(provider).base;
}

function settingString(provider: ResolvedProvider, name: string): string {
  const value = provider.settings[name];
  if (typeof value !== "string" || value === "") {
    throw new AppError("upstream_error", `provider '${provider.name}' is missing settings.${name}`);
  }
  return value;
}

function extraHeaders(provider: ResolvedProvider): Readonly<Record<string, string>> {
  return parts(provider).extraHeaders;
}

function readExtraHeaders(provider: ResolvedProvider): Record<string, string> {
  const headers = provider.settings.headers;
  if (typeof headers !== "object" || headers === null) return {};
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

const OPENAI_PATHS: Record<UpstreamOperation, string> = {
  generate: "/chat/completions",
  embeddings: "/embeddings",
  count_tokens: "",
};

const openAi: ProviderEndpoint = {
  format: "openai_chat",
  operations: ["generate", "embeddings"],
  streamUsageOption: () => true,
  speaksResponses: () => true,
  build({ provider, operation, body, format, passQuery }) {
    const headers: Record<string, string> = { ...JSON_HEADERS, ...extraHeaders(provider) };
    if (provider.apiKey !== null) headers.authorization = `Bearer ${provider.apiKey}`;
    const path = format === "openai_responses" ? "/responses" : OPENAI_PATHS[operation];
    return { method: "POST", url: `${base(provider)}${path}${passQuery ?? ""}`, headers, body };
  },
};

const openAiCompatible: ProviderEndpoint = {
  ...openAi,
  streamUsageOption: (provider) => provider.settings.streamUsage !== false,
  // Most compatible servers only have Chat Completions; settings.responsesApi = true says this one has both.
  speaksResponses: (provider) => provider.settings.responsesApi === true,
};

const azureOpenAi: ProviderEndpoint = {
  format: "openai_chat",
  operations: ["generate", "embeddings"],
  streamUsageOption: () => true,
  speaksResponses: () => true,
  build({ provider, upstreamModel, operation, body, format }) {
    const apiVersion = encodeURIComponent(settingString(provider, "apiVersion"));
    const deployment = encodeURIComponent(upstreamModel);
    const headers: Record<string, string> = { ...JSON_HEADERS, ...extraHeaders(provider) };
    if (provider.apiKey !== null) headers["api-key"] = provider.apiKey;
    // Azure's Responses API is per resource, the deployment named by `model` in the body; it needs a newer
    // api-version than chat deployments often pin, so settings.responsesApiVersion may name its own.
    if (format === "openai_responses") {
      const version = typeof provider.settings.responsesApiVersion === "string" ? provider.settings.responsesApiVersion : null;
      const query = version === null ? apiVersion : encodeURIComponent(version);
      return { method: "POST", url: `${base(provider)}/openai/responses?api-version=${query}`, headers, body };
    }
    return {
      method: "POST",
      url: `${base(provider)}/openai/deployments/${deployment}${OPENAI_PATHS[operation]}?api-version=${apiVersion}`,
      headers,
      body,
    };
  },
};

const anthropic: ProviderEndpoint = {
  streamUsageOption: () => false,
  format: "anthropic_messages",
  operations: ["generate", "count_tokens"],
  build({ provider, operation, body, passHeaders, passQuery }) {
    const headers: Record<string, string> = {
      ...JSON_HEADERS,
      "anthropic-version": passHeaders?.["anthropic-version"] ?? ANTHROPIC_VERSION,
      ...(passHeaders?.["anthropic-beta"] === undefined ? {} : { "anthropic-beta": passHeaders["anthropic-beta"] }),
      ...extraHeaders(provider),
    };
    if (provider.apiKey !== null) headers["x-api-key"] = provider.apiKey;
    const path = operation === "count_tokens" ? "/v1/messages/count_tokens" : "/v1/messages";
    return { method: "POST", url: `${base(provider)}${path}${passQuery ?? ""}`, headers, body };
  },
};

const GEMINI_METHODS: Record<UpstreamOperation, string> = {
  generate: "generateContent",
  embeddings: "batchEmbedContents",
  count_tokens: "countTokens",
};

const gemini: ProviderEndpoint = {
  streamUsageOption: () => false,
  format: "gemini",
  operations: ["generate", "embeddings", "count_tokens"],
  build({ provider, upstreamModel, stream, operation, body }) {
    const method = operation === "generate" && stream ? "streamGenerateContent" : GEMINI_METHODS[operation];
    const query = operation === "generate" && stream ? "?alt=sse" : "";
    const headers: Record<string, string> = { ...JSON_HEADERS, ...extraHeaders(provider) };
    if (provider.apiKey !== null) headers["x-goog-api-key"] = provider.apiKey;
    const model = encodeURIComponent(upstreamModel.replace(/^models\//, ""));
    return { method: "POST", url: `${base(provider)}/v1beta/models/${model}:${method}${query}`, headers, body };
  },
};

const bedrock: ProviderEndpoint = {
  streamUsageOption: () => false,
  format: "bedrock_converse",
  operations: ["generate"],
  build({ provider, upstreamModel, stream, body }) {
    const region = settingString(provider, "region");
    const accessKeyId = settingString(provider, "accessKeyId");
    if (provider.apiKey === null) throw new AppError("upstream_error", `provider '${provider.name}' has no secret access key`);
    const url = `${base(provider)}${bedrockRuntimePath(upstreamModel, stream ? "converse-stream" : "converse")}`;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: stream ? "application/vnd.amazon.eventstream" : "application/json",
    };
    const signed = signAwsRequest({
      method: "POST",
      url,
      headers,
      // Bedrock's format is never a client's, so its body is always one the gateway encoded, never client chunks.
      body: body instanceof BodyChunks ? body.bytes() : body,
      region,
      service: "bedrock",
      credentials: { accessKeyId, secretAccessKey: provider.apiKey },
    });
    return { method: "POST", url, headers: { ...headers, ...signed }, body };
  },
};

export const PROVIDER_ENDPOINTS: Record<ProviderKind, ProviderEndpoint> = {
  openai: openAi,
  openai_compatible: openAiCompatible,
  azure_openai: azureOpenAi,
  anthropic,
  gemini,
  bedrock,
};
