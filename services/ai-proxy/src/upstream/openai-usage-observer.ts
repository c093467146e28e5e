/**
 * Reads usage out of an OpenAI-format response without touching the bytes that go to the client: one JSON parse
 * per SSE event that mentions usage, partial lines carried across chunk boundaries.
 */
import { type Usage, ZERO_USAGE } from "../pipeline/request-record.js";

interface OpenAiUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

export function usageFromOpenAi(usage: OpenAiUsage | null | undefined): Usage {
  if (usage === null || usage === undefined) return { ...ZERO_USAGE };
  return {
    inputTokens: usage.prompt_tokens ?? 0,
    outputTokens: usage.completion_tokens ?? 0,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

export interface StreamObserver {
  push(chunk: Uint8Array): void;
  usage(): Usage | null;
  /** True once any content or tool-call delta went by (time to first token). */
  sawContent(): boolean;
}

export function createOpenAiStreamObserver(): StreamObserver {
  const decoder = new TextDecoder();
  let carry = "";
  let usage: Usage | null = null;
  let content = false;
  return {
    push(chunk) {
      const text = carry + decoder.decode(chunk, { stream: true });
      const lines = text.split("\n");
      carry = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.startsWith("data:")) continue;
        if (!content && (line.includes('"content":"') || line.includes('"tool_calls"'))) content = true;
        if (!line.includes('"usage"')) continue;
        try {
          const parsed = JSON.parse(line.slice(5)) as { usage?: OpenAiUsage | null };
          if (parsed.usage) usage = usageFromOpenAi(parsed.usage);
        } catch {
          // A malformed event is the client's to see; accounting just skips it.
        }
      }
    },
    usage: () => usage,
    sawContent: () => content,
  };
}
