/**
 * OpenAI Responses SSE events → canonical stream events. Each output item (and each content part of a message)
 * becomes one canonical block; the terminal response.completed / .incomplete carries the usage.
 */

import type { ReasoningPart } from "../../canonical/content.js";
import { applyReasoningToken } from "../../canonical/reasoning-token.js";
import type { CanonicalStreamEvent, StreamDecoder } from "../../canonical/stream.js";
import type { SseEvent } from "../../sse/sse-parser.js";
import { parseEventJson, truncatedStreamError, upstreamStreamError } from "../../upstream-error-event.js";
import { finishReasonFromResponses, usageFromResponses } from "./mapping.js";
import type { ResponsesStreamEvent } from "./schema.js";

export function createResponsesStreamDecoder(): StreamDecoder<SseEvent> {
  let done = false;
  let nextIndex = 0;
  let sawToolCall = false;
  /** `${output_index}` for items, `${output_index}:${content_index}` for message parts → canonical index. */
  const blocks = new Map<string, number>();
  const open = new Set<number>();

  const openBlock = (
    key: string,
    block: (CanonicalStreamEvent & { type: "block_start" })["block"],
    out: CanonicalStreamEvent[],
  ): number => {
    const index = nextIndex++;
    blocks.set(key, index);
    open.add(index);
    out.push({ type: "block_start", index, block });
    return index;
  };
  const textBlock = (event: ResponsesStreamEvent, out: CanonicalStreamEvent[]): number => {
    const key = `${event.output_index ?? 0}:${event.content_index ?? 0}`;
    return blocks.get(key) ?? openBlock(key, { type: "text" }, out);
  };
  const stop = (key: string, out: CanonicalStreamEvent[]) => {
    const index = blocks.get(key);
    if (index !== undefined && open.delete(index)) out.push({ type: "block_stop", index });
  };

  return {
    push(sse) {
      if (done) return [];
      const event = parseEventJson(sse.data) as ResponsesStreamEvent;
      const out: CanonicalStreamEvent[] = [];
      const item = event.item;
      switch (event.type) {
        case "response.created": {
          const start: CanonicalStreamEvent = { type: "message_start" };
          if (event.response?.id) start.id = event.response.id;
          if (event.response?.model) start.model = event.response.model;
          out.push(start);
          break;
        }
        case "response.output_item.added":
          if (item?.type === "function_call") {
            sawToolCall = true;
            openBlock(String(event.output_index ?? 0), { type: "tool_call", id: item.call_id ?? "", name: item.name ?? "" }, out);
          } else if (item?.type === "reasoning") {
            openBlock(String(event.output_index ?? 0), { type: "reasoning" }, out);
          }
          break;
        case "response.content_part.added":
          textBlock(event, out);
          break;
        case "response.output_text.delta":
        case "response.refusal.delta":
          if (event.delta) out.push({ type: "text_delta", index: textBlock(event, out), text: event.delta });
          break;
        case "response.content_part.done":
          stop(`${event.output_index ?? 0}:${event.content_index ?? 0}`, out);
          break;
        case "response.reasoning_summary_text.delta":
        case "response.reasoning_text.delta": {
          const index = blocks.get(String(event.output_index ?? 0));
          if (index !== undefined && event.delta) out.push({ type: "reasoning_delta", index, text: event.delta });
          break;
        }
        case "response.function_call_arguments.delta": {
          const index = blocks.get(String(event.output_index ?? 0));
          if (index !== undefined && event.delta) out.push({ type: "tool_call_delta", index, arguments: event.delta });
          break;
        }
        case "response.output_item.done": {
          const key = String(event.output_index ?? 0);
          const index = blocks.get(key);
          if (item?.type === "reasoning" && index !== undefined) {
            const token: ReasoningPart = { type: "reasoning", text: "" };
            const encrypted = item.encrypted_content;
            if (!applyReasoningToken(token, encrypted) && typeof encrypted === "string") token.encryptedContent = encrypted;
            const delta: CanonicalStreamEvent = { type: "reasoning_delta", index };
            if (token.signature !== undefined) delta.signature = token.signature;
            if (token.redactedData !== undefined) delta.redactedData = token.redactedData;
            if (token.thoughtSignature !== undefined) delta.thoughtSignature = token.thoughtSignature;
            if (token.encryptedContent !== undefined) delta.encryptedContent = token.encryptedContent;
            if (token.carries !== undefined) delta.carries = token.carries;
            if (Object.keys(delta).length > 2) out.push(delta);
          }
          stop(key, out);
          for (const [partKey, partIndex] of blocks) {
            if (partKey.startsWith(`${key}:`) && open.delete(partIndex)) out.push({ type: "block_stop", index: partIndex });
          }
          break;
        }
        case "response.completed":
        case "response.incomplete": {
          done = true;
          for (const index of open) out.push({ type: "block_stop", index });
          open.clear();
          const response = event.response;
          out.push({
            type: "finish",
            reason: finishReasonFromResponses(response?.status, response?.incomplete_details?.reason, sawToolCall),
          });
          if (response?.usage) out.push({ type: "usage", usage: usageFromResponses(response.usage) });
          out.push({ type: "message_stop" });
          break;
        }
        case "response.failed":
        case "error": {
          done = true;
          const failure = (event.response as { error?: { message?: string; code?: string } } | undefined)?.error;
          out.push({ type: "error", error: upstreamStreamError(failure?.message ?? event.message, failure?.code ?? event.code) });
          break;
        }
      }
      return out;
    },
    end() {
      if (done) return [];
      done = true;
      return [{ type: "error", error: truncatedStreamError() }];
    },
  };
}
