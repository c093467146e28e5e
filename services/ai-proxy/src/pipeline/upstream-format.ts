/**
 * Which API of a provider serves a generation request. Kinds that speak both OpenAI APIs (openai, azure_openai, and
 * openai_compatible with settings.responsesApi) take Responses clients natively (byte for byte), models that exist
 * only on the Responses API whatever the client speaks, and reasoning requests (only Responses returns the encrypted
 * reasoning that keeps thinking alive across turns; for Chat Completions clients unless the gateway setting
 * `chatReasoningViaResponses` is off). Everything else keeps the kind's main format.
 */
import { matchesPattern } from "@thinkwatch/gateway-auth";
import type { InboundFormat, UpstreamFormat } from "@thinkwatch/providers";
import type { Route } from "../routing/model-router.js";
import type { ProviderEndpoint } from "../upstream/provider-endpoints.js";

/**
 * Responses-only: the upstream model matches the gateway setting `responsesOnlyModels` (defaults: the known
 * families) or the provider's `settings.responsesModels` (names or patterns of that provider's own models).
 */
export function isResponsesOnly(route: Route, responsesOnlyModels: readonly string[]): boolean {
  const extra = route.provider.settings.responsesModels;
  const providerPatterns = Array.isArray(extra) ? extra.filter((p): p is string => typeof p === "string") : [];
  const model = route.upstreamModel;
  return responsesOnlyModels.some((p) => matchesPattern(p, model)) || providerPatterns.some((p) => matchesPattern(p, model));
}

export interface FormatChoice {
  responsesOnlyModels: readonly string[];
  /** Chat Completions requests with reasoning on go through Responses (gateway setting `chatReasoningViaResponses`). */
  chatReasoningViaResponses: boolean;
}

export function upstreamFormatFor(
  endpoint: ProviderEndpoint,
  route: Route,
  inbound: InboundFormat,
  wantsReasoning: boolean,
  choice: FormatChoice,
): UpstreamFormat {
  if (endpoint.speaksResponses?.(route.provider) !== true) return endpoint.format;
  if (inbound === "openai_responses" || isResponsesOnly(route, choice.responsesOnlyModels)) return "openai_responses";
  if (wantsReasoning && (inbound !== "openai_chat" || choice.chatReasoningViaResponses)) return "openai_responses";
  return endpoint.format;
}
