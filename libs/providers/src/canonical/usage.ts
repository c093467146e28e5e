/**
 * Canonical token usage. Meaning (chosen to match OpenAI, the most common client format):
 * - inputTokens counts every prompt token, including tokens read from and written to a prompt cache;
 * - cachedInputTokens and cacheWriteInputTokens are subsets of inputTokens;
 * - outputTokens counts every generated token, including reasoning;
 * - reasoningTokens is a subset of outputTokens.
 * Anthropic and Bedrock report input without cache reads/writes and Gemini reports candidates without thoughts;
 * their codecs add or subtract accordingly.
 */
export interface CanonicalUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  cacheWriteInputTokens?: number;
  reasoningTokens?: number;
}

export function emptyUsage(): CanonicalUsage {
  return { inputTokens: 0, outputTokens: 0 };
}

/** Input tokens that were neither read from nor written to a cache (Anthropic's and Bedrock's `input_tokens`). */
export function uncachedInputTokens(usage: CanonicalUsage): number {
  return Math.max(0, usage.inputTokens - (usage.cachedInputTokens ?? 0) - (usage.cacheWriteInputTokens ?? 0));
}

/** Output tokens that are not reasoning (Gemini's `candidatesTokenCount`). */
export function visibleOutputTokens(usage: CanonicalUsage): number {
  return Math.max(0, usage.outputTokens - (usage.reasoningTokens ?? 0));
}

/** Drops undefined optional counters so usage objects compare and serialise cleanly. */
export function compactUsage(usage: CanonicalUsage): CanonicalUsage {
  const out: CanonicalUsage = { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
  if (usage.cachedInputTokens !== undefined) out.cachedInputTokens = usage.cachedInputTokens;
  if (usage.cacheWriteInputTokens !== undefined) out.cacheWriteInputTokens = usage.cacheWriteInputTokens;
  if (usage.reasoningTokens !== undefined) out.reasoningTokens = usage.reasoningTokens;
  return out;
}
