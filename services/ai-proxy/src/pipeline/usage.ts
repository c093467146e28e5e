/** Canonical usage as the audit event counts it. */
import type { CanonicalUsage } from "@thinkwatch/providers";
import type { Usage } from "./request-record.js";

export function toRecordUsage(usage: CanonicalUsage): Usage {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedTokens: usage.cachedInputTokens ?? 0,
    reasoningTokens: usage.reasoningTokens ?? 0,
  };
}
