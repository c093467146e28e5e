/** Canonical usage as the audit event counts it. */
import { type CanonicalUsage, countTokensEstimate, type InboundFormat, type UpstreamFormat } from "@thinkwatch/providers";
import type { ClientRequest } from "./client-request.js";
import type { Usage } from "./request-record.js";

export function toRecordUsage(usage: CanonicalUsage): Usage {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedTokens: usage.cachedInputTokens ?? 0,
    reasoningTokens: usage.reasoningTokens ?? 0,
  };
}

/** Upstream formats whose streams report input tokens at the start, as Anthropic's message_start does. */
const USAGE_AT_START: ReadonlySet<UpstreamFormat> = new Set(["anthropic_messages", "bedrock_converse"]);

/**
 * An Anthropic stream converted from an upstream that counts input tokens only at the end would otherwise start
 * with input_tokens 0, which clients (Claude Code's context meter) read; estimated only in that case.
 */
export function startTokensEstimate(
  inbound: InboundFormat,
  upstream: UpstreamFormat,
  passthrough: boolean,
  request: ClientRequest,
): number | undefined {
  if (inbound !== "anthropic_messages" || passthrough || !request.head.stream || USAGE_AT_START.has(upstream)) return undefined;
  return countTokensEstimate(request.canonical());
}
