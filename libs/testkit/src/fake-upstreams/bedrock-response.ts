/**
 * Rendering the fake model's reply as a Bedrock Converse response, or as ConverseStream event-stream frames:
 * messageStart, per content block (reasoning → text → toolUse) deltas and contentBlockStop (toolUse opens with
 * contentBlockStart), messageStop, metadata with usage and metrics. Each event payload carries the random-length
 * `p` padding field Bedrock adds against length side channels.
 */
import { encodeBedrockStreamEvent } from "../aws/bedrock-stream-frame-encoder.js";
import type { FakeReply } from "./conversation.js";
import type { FakeUsage, FinishReason } from "./fake-script.js";
import { splitArguments, splitText } from "./stream-pieces.js";

const STOP_REASON: Record<FinishReason, string> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  content_filter: "content_filtered",
};
const PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Like Anthropic, Bedrock's inputTokens exclude cache reads and writes; totalTokens counts all of them. */
export function bedrockUsage(usage: FakeUsage): Record<string, number> {
  const out: Record<string, number> = {
    inputTokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheCreationInputTokens),
    outputTokens: usage.outputTokens,
    totalTokens: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens > 0) out.cacheReadInputTokens = usage.cachedInputTokens;
  if (usage.cacheCreationInputTokens > 0) out.cacheWriteInputTokens = usage.cacheCreationInputTokens;
  return out;
}

export function renderConverse(reply: FakeReply, latencyMs: number): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  if (reply.reasoning !== undefined) {
    content.push({ reasoningContent: { reasoningText: { text: reply.reasoning, signature: reply.reasoningSignature } } });
  }
  if (reply.text !== "" || reply.toolCalls.length === 0) content.push({ text: reply.text });
  for (const call of reply.toolCalls)
    content.push({ toolUse: { toolUseId: call.id, name: call.name, input: parseInput(call.arguments) } });
  return {
    output: { message: { role: "assistant", content } },
    stopReason: STOP_REASON[reply.finishReason],
    usage: bedrockUsage(reply.usage),
    metrics: { latencyMs },
  };
}

export function renderConverseStream(reply: FakeReply, latencyMs: number): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const emit = (eventType: string, payload: Record<string, unknown>) => {
    frames.push(
      encodeBedrockStreamEvent(eventType, { ...payload, p: PADDING.slice(0, 1 + ((frames.length * 7) % PADDING.length)) }),
    );
  };
  let index = 0;
  emit("messageStart", { role: "assistant" });
  if (reply.reasoning !== undefined) {
    for (const text of splitText(reply.reasoning))
      emit("contentBlockDelta", { contentBlockIndex: index, delta: { reasoningContent: { text } } });
    emit("contentBlockDelta", { contentBlockIndex: index, delta: { reasoningContent: { signature: reply.reasoningSignature } } });
    emit("contentBlockStop", { contentBlockIndex: index++ });
  }
  if (reply.text !== "" || reply.toolCalls.length === 0) {
    for (const text of splitText(reply.text)) emit("contentBlockDelta", { contentBlockIndex: index, delta: { text } });
    emit("contentBlockStop", { contentBlockIndex: index++ });
  }
  for (const call of reply.toolCalls) {
    emit("contentBlockStart", { contentBlockIndex: index, start: { toolUse: { toolUseId: call.id, name: call.name } } });
    for (const input of splitArguments(JSON.stringify(parseInput(call.arguments)))) {
      emit("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input } } });
    }
    emit("contentBlockStop", { contentBlockIndex: index++ });
  }
  emit("messageStop", { stopReason: STOP_REASON[reply.finishReason] });
  emit("metadata", { usage: bedrockUsage(reply.usage), metrics: { latencyMs } });
  return frames;
}

function parseInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { _raw: text };
  }
}
