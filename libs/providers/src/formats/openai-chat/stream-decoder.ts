/**
 * OpenAI Chat Completions SSE chunks → canonical stream events. Text, reasoning and each tool call (keyed by the
 * chunk's `tool_calls[].index`) get their own canonical block, so fragments of parallel calls never mix.
 */
import type { CanonicalStreamEvent, StreamDecoder } from "../../canonical/stream.js";
import type { SseEvent } from "../../sse/sse-parser.js";
import { parseEventJson, truncatedStreamError, upstreamStreamError } from "../../upstream-error-event.js";
import { finishReasonFromOpenAi, usageFromOpenAi } from "./mapping.js";
import type { OpenAiChatChunk } from "./schema.js";

type ToolDelta = NonNullable<NonNullable<NonNullable<OpenAiChatChunk["choices"]>[number]["delta"]>["tool_calls"]>[number];

export function createOpenAiChatStreamDecoder(): StreamDecoder<SseEvent> {
  let started = false;
  let done = false;
  let finished = false;
  let nextIndex = 0;
  let textIndex = -1;
  let reasoningIndex = -1;
  /** OpenAI tool index → canonical block index. */
  const toolBlocks = new Map<number, number>();
  const open = new Set<number>();

  const close = (index: number, out: CanonicalStreamEvent[]) => {
    if (open.delete(index)) out.push({ type: "block_stop", index });
  };
  const closeAll = (out: CanonicalStreamEvent[]) => {
    for (const index of [...open].sort((a, b) => a - b)) out.push({ type: "block_stop", index });
    open.clear();
  };
  const openBlock = (out: CanonicalStreamEvent[], block: CanonicalStreamEvent & { type: "block_start" }) => {
    open.add(block.index);
    out.push(block);
  };

  const toolDelta = (call: ToolDelta, position: number, out: CanonicalStreamEvent[]) => {
    const key = call.index ?? position;
    let index = toolBlocks.get(key);
    if (index === undefined) {
      // Text and reasoning end where tool calls begin; clients that render one block at a time need that.
      if (textIndex !== -1) close(textIndex, out);
      if (reasoningIndex !== -1) close(reasoningIndex, out);
      index = nextIndex++;
      toolBlocks.set(key, index);
      const block: CanonicalStreamEvent & { type: "block_start" } = {
        type: "block_start",
        index,
        block: { type: "tool_call", id: call.id ?? `call_${index}`, name: call.function?.name ?? "" },
      };
      const signature = call.extra_content?.google?.thought_signature;
      if (typeof signature === "string" && block.block.type === "tool_call") block.block.thoughtSignature = signature;
      openBlock(out, block);
    }
    const args = call.function?.arguments;
    if (typeof args === "string" && args !== "") out.push({ type: "tool_call_delta", index, arguments: args });
  };

  return {
    push(event) {
      const out: CanonicalStreamEvent[] = [];
      if (done) return out;
      if (event.data === "[DONE]") {
        done = true;
        closeAll(out);
        out.push({ type: "message_stop" });
        return out;
      }
      const chunk = parseEventJson(event.data) as OpenAiChatChunk;
      if (chunk.error) {
        done = true;
        out.push({ type: "error", error: upstreamStreamError(chunk.error.message, chunk.error.type) });
        return out;
      }
      if (!started) {
        started = true;
        const start: CanonicalStreamEvent = { type: "message_start" };
        if (chunk.id) start.id = chunk.id;
        if (chunk.model) start.model = chunk.model;
        out.push(start);
      }
      const choice = chunk.choices?.[0];
      const delta = choice?.delta;
      if (delta) {
        const reasoning = delta.reasoning_content ?? delta.reasoning;
        if (typeof reasoning === "string" && reasoning !== "") {
          if (reasoningIndex === -1 || !open.has(reasoningIndex)) {
            reasoningIndex = nextIndex++;
            openBlock(out, { type: "block_start", index: reasoningIndex, block: { type: "reasoning" } });
          }
          out.push({ type: "reasoning_delta", index: reasoningIndex, text: reasoning });
        }
        const text = delta.content ?? delta.refusal;
        if (typeof text === "string" && text !== "") {
          if (reasoningIndex !== -1) close(reasoningIndex, out);
          if (textIndex === -1 || !open.has(textIndex)) {
            textIndex = nextIndex++;
            openBlock(out, { type: "block_start", index: textIndex, block: { type: "text" } });
          }
          out.push({ type: "text_delta", index: textIndex, text });
        }
        const calls = delta.tool_calls ?? [];
        for (let i = 0; i < calls.length; i++) toolDelta(calls[i] as ToolDelta, i, out);
      }
      if (choice?.finish_reason) {
        finished = true;
        closeAll(out);
        out.push({ type: "finish", reason: finishReasonFromOpenAi(choice.finish_reason) });
      }
      if (chunk.usage) out.push({ type: "usage", usage: usageFromOpenAi(chunk.usage) });
      return out;
    },
    end() {
      if (done) return [];
      done = true;
      // Some OpenAI-compatible servers close without `[DONE]`; a finish reason means the answer is complete.
      if (finished) return [{ type: "message_stop" }];
      return [{ type: "error", error: truncatedStreamError() }];
    },
  };
}
