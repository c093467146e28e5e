/**
 * Gemini finish reasons and usage, both directions. Gemini's promptTokenCount includes cached tokens (as OpenAI's
 * does), but candidatesTokenCount excludes thoughts, which thoughtsTokenCount reports separately.
 */
import type { FinishReason } from "../../canonical/response.js";
import { sanitizeToolId } from "../../canonical/tool-id.js";
import { type CanonicalUsage, visibleOutputTokens } from "../../canonical/usage.js";
import { randomId } from "../../ids.js";
import type { GeminiUsage } from "./schema.js";

const CONTENT_FILTER = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"]);

export function finishReasonFromGemini(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === "STOP") return hasToolCalls ? "tool_calls" : "stop";
  if (reason === "MAX_TOKENS") return "length";
  if (reason !== null && reason !== undefined && CONTENT_FILTER.has(reason)) return "content_filter";
  return hasToolCalls ? "tool_calls" : "other";
}

export function finishReasonToGemini(reason: FinishReason): string {
  switch (reason) {
    case "stop":
    case "tool_calls":
      return "STOP";
    case "length":
      return "MAX_TOKENS";
    case "content_filter":
      return "SAFETY";
    case "other":
      return "OTHER";
  }
}

export function usageFromGemini(usage: GeminiUsage): CanonicalUsage {
  const thoughts = usage.thoughtsTokenCount ?? 0;
  const out: CanonicalUsage = {
    inputTokens: (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0),
    outputTokens: (usage.candidatesTokenCount ?? 0) + thoughts,
  };
  if (typeof usage.cachedContentTokenCount === "number") out.cachedInputTokens = usage.cachedContentTokenCount;
  if (typeof usage.thoughtsTokenCount === "number") out.reasoningTokens = thoughts;
  return out;
}

export function usageToGemini(usage: CanonicalUsage): Record<string, number> {
  const out: Record<string, number> = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: visibleOutputTokens(usage),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens !== undefined) out.cachedContentTokenCount = usage.cachedInputTokens;
  if (usage.reasoningTokens !== undefined) out.thoughtsTokenCount = usage.reasoningTokens;
  return out;
}

/**
 * Ids for Gemini function calls, which usually carry none: derived from the response id (unique per response) so
 * the same reply always gets the same ids, random when the response has no id either.
 */
export function callIdFactory(responseId: string | null | undefined): () => string {
  const prefix = responseId ? `call_${sanitizeToolId(responseId)}_` : `${randomId("call_", 16)}_`;
  let next = 0;
  return () => `${prefix}${next++}`;
}
