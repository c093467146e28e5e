/** Anthropic stop reasons and usage, both directions. Anthropic's input_tokens excludes cache reads and writes. */
import type { FinishReason } from "../../canonical/response.js";
import { type CanonicalUsage, uncachedInputTokens } from "../../canonical/usage.js";
import type { AnthropicUsage } from "./schema.js";

export function finishReasonFromAnthropic(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "other";
  }
}

export function finishReasonToAnthropic(reason: FinishReason, stopSequence: string | undefined): string {
  switch (reason) {
    case "stop":
      return stopSequence === undefined ? "end_turn" : "stop_sequence";
    case "length":
      return "max_tokens";
    case "tool_calls":
      return "tool_use";
    case "content_filter":
      return "refusal";
    case "other":
      return "end_turn";
  }
}

/** Folds a (possibly partial) Anthropic usage object into canonical usage; absent fields keep their old value. */
export function mergeAnthropicUsage(previous: CanonicalUsage | undefined, usage: AnthropicUsage): CanonicalUsage {
  const cacheRead = usage.cache_read_input_tokens ?? previous?.cachedInputTokens;
  const cacheWrite = usage.cache_creation_input_tokens ?? previous?.cacheWriteInputTokens;
  const uncached = usage.input_tokens ?? (previous === undefined ? 0 : uncachedInputTokens(previous));
  const out: CanonicalUsage = {
    inputTokens: uncached + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: usage.output_tokens ?? previous?.outputTokens ?? 0,
  };
  if (cacheRead !== undefined) out.cachedInputTokens = cacheRead;
  if (cacheWrite !== undefined) out.cacheWriteInputTokens = cacheWrite;
  return out;
}

export function usageToAnthropic(usage: CanonicalUsage): Record<string, number> {
  return {
    input_tokens: uncachedInputTokens(usage),
    cache_creation_input_tokens: usage.cacheWriteInputTokens ?? 0,
    cache_read_input_tokens: usage.cachedInputTokens ?? 0,
    output_tokens: usage.outputTokens,
  };
}
