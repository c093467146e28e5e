/**
 * How to ask a provider kind for its own model list, as data plus pure functions: openai (`GET /models`), anthropic
 * (`GET /v1/models`), gemini (`GET /v1beta/models`). Kinds without a list (Azure deployments, Bedrock, compatible
 * servers) are served from the registered models only.
 */
import type { ProviderKind } from "@thinkwatch/proto";
import * as v from "valibot";
import type { ResolvedProvider } from "../routing/model-router.js";
import type { UpstreamRequest } from "../upstream/upstream-http.js";

export interface ModelListSpec {
  request(provider: ResolvedProvider): UpstreamRequest;
  /** Model names a client would send, from the upstream's JSON. */
  parse(json: unknown): string[];
}

const base = (provider: ResolvedProvider) => provider.baseUrl.replace(/\/+$/, "");
function keyHeader(provider: ResolvedProvider, name: string, value: string): Record<string, string> {
  return provider.apiKey === null ? {} : { [name]: value };
}

const IdList = v.object({ data: v.array(v.object({ id: v.string() })) });
const GeminiList = v.object({
  models: v.optional(v.array(v.object({ name: v.string(), supportedGenerationMethods: v.optional(v.array(v.string())) })), []),
});

export const MODEL_LISTS: Partial<Record<ProviderKind, ModelListSpec>> = {
  openai: {
    request: (provider) => ({
      method: "GET",
      url: `${base(provider)}/models`,
      headers: keyHeader(provider, "authorization", `Bearer ${provider.apiKey}`),
    }),
    parse: (json) => v.parse(IdList, json).data.map((model) => model.id),
  },
  anthropic: {
    request: (provider) => ({
      method: "GET",
      url: `${base(provider)}/v1/models?limit=1000`,
      headers: { "anthropic-version": "2023-06-01", ...(provider.apiKey === null ? {} : { "x-api-key": provider.apiKey }) },
    }),
    parse: (json) => v.parse(IdList, json).data.map((model) => model.id),
  },
  gemini: {
    request: (provider) => ({
      method: "GET",
      url: `${base(provider)}/v1beta/models?pageSize=1000`,
      headers: keyHeader(provider, "x-goog-api-key", provider.apiKey ?? ""),
    }),
    // Only models that generate content are chat models; embedding models stay out of a chat model picker.
    parse: (json) =>
      v
        .parse(GeminiList, json)
        .models.filter((model) => model.supportedGenerationMethods?.includes("generateContent") !== false)
        .map((model) => model.name.replace(/^models\//, "")),
  },
};
