/** Responses usage and status ⇄ canonical; Responses usage has OpenAI's meaning (input includes cached). */
import type { FinishReason } from "../../canonical/response.js";
import type { CanonicalUsage } from "../../canonical/usage.js";
import type { ResponsesUsage } from "./schema.js";

export function usageFromResponses(usage: ResponsesUsage): CanonicalUsage {
  const out: CanonicalUsage = { inputTokens: usage.input_tokens ?? 0, outputTokens: usage.output_tokens ?? 0 };
  const cached = usage.input_tokens_details?.cached_tokens;
  if (typeof cached === "number") out.cachedInputTokens = cached;
  const reasoning = usage.output_tokens_details?.reasoning_tokens;
  if (typeof reasoning === "number") out.reasoningTokens = reasoning;
  return out;
}

export function usageToResponses(usage: CanonicalUsage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** Responses has no finish reason: completion is a status, truncation an incomplete reason, tool use an output item. */
export function finishReasonFromResponses(
  status: string | null | undefined,
  incompleteReason: string | null | undefined,
  hasToolCalls: boolean,
): FinishReason {
  if (status === "incomplete") return incompleteReason === "content_filter" ? "content_filter" : "length";
  if (hasToolCalls) return "tool_calls";
  return status === "completed" || status === undefined || status === null ? "stop" : "other";
}

export function statusForFinish(reason: FinishReason): {
  status: "completed" | "incomplete";
  incomplete_details: { reason: string } | null;
} {
  if (reason === "length") return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (reason === "content_filter") return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}
