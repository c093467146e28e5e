/**
 * Which API of a provider serves a generation request. Kinds that speak both OpenAI APIs (openai, azure_openai, and
 * openai_compatible with settings.responsesApi) take Responses clients natively (byte for byte), models that exist
 * only on the Responses API whatever the client speaks, and reasoning requests from clients of other formats (only
 * Responses returns the encrypted reasoning that keeps thinking alive across turns). Everything else keeps the
 * kind's main format.
 */
import type { InboundFormat, UpstreamFormat } from "@thinkwatch/providers";
import type { Route } from "../routing/model-router.js";
import type { ProviderEndpoint } from "../upstream/provider-endpoints.js";

/** OpenAI models served only by /v1/responses (pro, deep-research, codex and computer-use families). */
const RESPONSES_ONLY =
  /^(o1-pro|o3-pro|o3-deep-research|o4-mini-deep-research|gpt-5(\.\d+)?-pro|gpt-5(\.\d+)?-codex|codex-mini|computer-use-preview)/;

/** The provider's `settings.responsesModels` adds upstream model names to the known Responses-only ones. */
export function isResponsesOnly(route: Route): boolean {
  const extra = route.provider.settings.responsesModels;
  if (Array.isArray(extra) && extra.includes(route.upstreamModel)) return true;
  return RESPONSES_ONLY.test(route.upstreamModel);
}

export function upstreamFormatFor(
  endpoint: ProviderEndpoint,
  route: Route,
  inbound: InboundFormat,
  wantsReasoning: boolean,
): UpstreamFormat {
  if (endpoint.speaksResponses?.(route.provider) !== true) return endpoint.format;
  if (inbound === "openai_responses" || isResponsesOnly(route)) return "openai_responses";
  if (wantsReasoning && inbound !== "openai_chat") return "openai_responses";
  return endpoint.format;
}
