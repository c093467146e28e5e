/**
 * Rendering the fake model's reply as an Anthropic `message`, or as the Messages SSE sequence: message_start,
 * per content block (thinking → text → tool_use) content_block_start / deltas / content_block_stop, a ping after
 * the first block opens, message_delta with the stop reason and output tokens, message_stop.
 */
import type { FakeConversation, FakeReply } from "./conversation.js";
import type { FakeUsage, FinishReason } from "./fake-script.js";
import { sseEvent } from "./sse.js";
import { splitArguments, splitText } from "./stream-pieces.js";

const STOP_REASON: Record<FinishReason, string> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  content_filter: "refusal",
};

/** Anthropic's input_tokens exclude cache reads and writes, which are reported beside them. */
export function anthropicUsage(usage: FakeUsage): Record<string, unknown> {
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheCreationInputTokens),
    cache_creation_input_tokens: usage.cacheCreationInputTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
    output_tokens: usage.outputTokens,
    service_tier: "standard",
  };
}

export function renderMessage(id: string, reply: FakeReply, conversation: FakeConversation): Record<string, unknown> {
  return {
    id,
    type: "message",
    role: "assistant",
    model: conversation.model,
    content: contentBlocks(reply),
    stop_reason: STOP_REASON[reply.finishReason],
    stop_sequence: null,
    usage: anthropicUsage(reply.usage),
  };
}

export function renderMessageEvents(id: string, reply: FakeReply, conversation: FakeConversation): string[] {
  const events: string[] = [];
  const emit = (type: string, payload: Record<string, unknown> = {}) => events.push(sseEvent(type, { type, ...payload }));
  emit("message_start", {
    message: {
      id,
      type: "message",
      role: "assistant",
      model: conversation.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...anthropicUsage(reply.usage), output_tokens: Math.min(1, reply.usage.outputTokens) },
    },
  });
  contentBlocks(reply).forEach((block, index) => {
    const start = (content_block: Record<string, unknown>) => {
      emit("content_block_start", { index, content_block });
      // The API pings once, right after the first block opens.
      if (index === 0) emit("ping");
    };
    const delta = (payload: Record<string, unknown>) => emit("content_block_delta", { index, delta: payload });
    if (block.type === "thinking") {
      start({ type: "thinking", thinking: "", signature: "" });
      for (const thinking of splitText(String(block.thinking))) delta({ type: "thinking_delta", thinking });
      delta({ type: "signature_delta", signature: block.signature });
    } else if (block.type === "text") {
      start({ type: "text", text: "" });
      for (const text of splitText(String(block.text))) delta({ type: "text_delta", text });
    } else {
      start({ type: "tool_use", id: block.id, name: block.name, input: {} });
      for (const partial_json of splitArguments(JSON.stringify(block.input))) delta({ type: "input_json_delta", partial_json });
    }
    emit("content_block_stop", { index });
  });
  emit("message_delta", {
    delta: { stop_reason: STOP_REASON[reply.finishReason], stop_sequence: null },
    usage: { output_tokens: reply.usage.outputTokens },
  });
  emit("message_stop");
  return events;
}

function contentBlocks(reply: FakeReply): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (reply.reasoning !== undefined)
    blocks.push({ type: "thinking", thinking: reply.reasoning, signature: reply.reasoningSignature });
  if (reply.text !== "" || reply.toolCalls.length === 0) blocks.push({ type: "text", text: reply.text });
  for (const call of reply.toolCalls)
    blocks.push({ type: "tool_use", id: call.id, name: call.name, input: parseArguments(call.arguments) });
  return blocks;
}

/** Anthropic carries tool input as an object; a scripted non-JSON argument string is wrapped so it survives. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { _raw: text };
  }
}
