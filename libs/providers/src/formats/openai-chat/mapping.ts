/** OpenAI Chat finish reasons and usage, both directions. */
import type { FinishReason } from "../../canonical/response.js";
import type { CanonicalUsage } from "../../canonical/usage.js";
import type { OpenAiUsage } from "./schema.js";

export function finishReasonFromOpenAi(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "tool_calls":
    case "function_call":
      return "tool_calls";
    case "content_filter":
      return "content_filter";
    default:
      return "other";
  }
}

export function finishReasonToOpenAi(reason: FinishReason): string {
  return reason === "other" ? "stop" : reason;
}

export function usageFromOpenAi(usage: OpenAiUsage): CanonicalUsage {
  const out: CanonicalUsage = { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0 };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === "number") out.cachedInputTokens = cached;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === "number") out.reasoningTokens = reasoning;
  return out;
}

export function usageToOpenAi(usage: CanonicalUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}
