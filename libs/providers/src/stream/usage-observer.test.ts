import { describe, expect, it } from "vitest";
import { SSE_STREAMS } from "../../test/fixtures/stream-fixtures.js";
import type { SseFormat } from "../formats.js";
import { createUsageObserver, type ObservedUsage } from "./usage-observer.js";

const EXPECTED: Record<SseFormat, ObservedUsage> = {
  openai_chat: {
    model: "gpt-4o-2024-08-06",
    finishReason: "tool_calls",
    usage: { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100, reasoningTokens: 12 },
  },
  anthropic_messages: {
    model: "claude-sonnet-4-5-20250929",
    finishReason: "tool_calls",
    usage: { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100, cacheWriteInputTokens: 0 },
  },
  gemini: {
    model: "gemini-2.5-pro",
    finishReason: "tool_calls",
    usage: { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100, reasoningTokens: 12 },
  },
  openai_responses: {
    model: "gpt-5-2025-08-07",
    finishReason: "tool_calls",
    usage: { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100, reasoningTokens: 12 },
  },
};
const FORMATS = Object.keys(EXPECTED) as SseFormat[];

describe("usage observer for pass-through streams", () => {
  it.each(FORMATS)("reads model, finish reason and usage from raw %s bytes", (format) => {
    const observer = createUsageObserver(format);
    observer.push(new TextEncoder().encode(SSE_STREAMS[format]));
    expect(observer.end()).toEqual(EXPECTED[format]);
  });

  it.each(FORMATS)("gets the same result from the %s stream fed one byte at a time", (format) => {
    const observer = createUsageObserver(format);
    const bytes = new TextEncoder().encode(SSE_STREAMS[format]);
    for (let i = 0; i < bytes.length; i++) observer.push(bytes.subarray(i, i + 1));
    expect(observer.end()).toEqual(EXPECTED[format]);
  });

  it("keeps Anthropic's input tokens from message_start when message_delta reports only output", () => {
    const observer = createUsageObserver("anthropic_messages");
    observer.push(SSE_STREAMS.anthropic_messages.slice(0, SSE_STREAMS.anthropic_messages.indexOf("event: content_block_start")));
    expect(observer.result.usage).toEqual({
      inputTokens: 120,
      outputTokens: 1,
      cachedInputTokens: 100,
      cacheWriteInputTokens: 0,
    });
  });

  it("reports nothing it did not see", () => {
    const observer = createUsageObserver("openai_chat");
    observer.push(": keep-alive\n\n");
    expect(observer.end()).toEqual({});
  });
});
