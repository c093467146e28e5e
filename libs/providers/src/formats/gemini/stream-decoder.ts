/**
 * Gemini stream chunks (whole GenerateContentResponse objects) → canonical stream events. Consecutive text or
 * thought parts continue one block; a function call arrives complete and becomes a block of its own. Gemini has no
 * end-of-stream event, so message_stop comes from end().
 */
import type { CanonicalStreamEvent, StreamDecoder } from "../../canonical/stream.js";
import type { SseEvent } from "../../sse/sse-parser.js";
import { parseEventJson, truncatedStreamError, upstreamStreamError } from "../../upstream-error-event.js";
import { callIdFactory, finishReasonFromGemini, usageFromGemini } from "./mapping.js";
import type { GeminiResponse } from "./schema.js";

export function createGeminiStreamDecoder(): StreamDecoder<SseEvent> {
  let started = false;
  let done = false;
  let finished = false;
  let sawToolCall = false;
  let nextIndex = 0;
  let current: { index: number; kind: "text" | "reasoning" } | undefined;
  let newId = callIdFactory(undefined);

  const closeCurrent = (out: CanonicalStreamEvent[]) => {
    if (current === undefined) return;
    out.push({ type: "block_stop", index: current.index });
    current = undefined;
  };
  const ensure = (kind: "text" | "reasoning", out: CanonicalStreamEvent[]): number => {
    if (current?.kind === kind) return current.index;
    closeCurrent(out);
    current = { index: nextIndex++, kind };
    out.push({ type: "block_start", index: current.index, block: { type: kind } });
    return current.index;
  };

  return {
    push(sse) {
      if (done) return [];
      const chunk = parseEventJson(sse.data) as GeminiResponse;
      const out: CanonicalStreamEvent[] = [];
      if (chunk.error) {
        done = true;
        out.push({ type: "error", error: upstreamStreamError(chunk.error.message, chunk.error.status) });
        return out;
      }
      if (!started) {
        started = true;
        newId = callIdFactory(chunk.responseId);
        const start: CanonicalStreamEvent = { type: "message_start" };
        if (chunk.responseId) start.id = chunk.responseId;
        if (chunk.modelVersion) start.model = chunk.modelVersion;
        out.push(start);
      }
      const candidate = chunk.candidates?.[0];
      for (const part of candidate?.content?.parts ?? []) {
        if (part.functionCall) {
          closeCurrent(out);
          sawToolCall = true;
          const index = nextIndex++;
          const block: CanonicalStreamEvent & { type: "block_start" } = {
            type: "block_start",
            index,
            block: { type: "tool_call", id: part.functionCall.id ?? newId(), name: part.functionCall.name },
          };
          if (part.thoughtSignature !== undefined && block.block.type === "tool_call")
            block.block.thoughtSignature = part.thoughtSignature;
          out.push(
            block,
            { type: "tool_call_delta", index, arguments: JSON.stringify(part.functionCall.args ?? {}) },
            { type: "block_stop", index },
          );
        } else if (part.thought === true) {
          const index = ensure("reasoning", out);
          if (part.text) out.push({ type: "reasoning_delta", index, text: part.text });
          if (part.thoughtSignature !== undefined)
            out.push({ type: "reasoning_delta", index, thoughtSignature: part.thoughtSignature });
        } else if (typeof part.text === "string" && (part.text !== "" || part.thoughtSignature !== undefined)) {
          if (part.text !== "") out.push({ type: "text_delta", index: ensure("text", out), text: part.text });
          if (part.thoughtSignature !== undefined) {
            // A signed text: the signature follows the text as a carrier block (reasoning-token.ts).
            closeCurrent(out);
            const index = nextIndex++;
            out.push(
              { type: "block_start", index, block: { type: "reasoning" } },
              { type: "reasoning_delta", index, thoughtSignature: part.thoughtSignature, carries: "text" },
              { type: "block_stop", index },
            );
          }
        }
      }
      if (candidate?.finishReason || (candidate === undefined && chunk.promptFeedback?.blockReason)) {
        finished = true;
        closeCurrent(out);
        const reason = candidate === undefined ? "content_filter" : finishReasonFromGemini(candidate.finishReason, sawToolCall);
        out.push({ type: "finish", reason });
      }
      if (chunk.usageMetadata) out.push({ type: "usage", usage: usageFromGemini(chunk.usageMetadata) });
      return out;
    },
    end() {
      if (done) return [];
      done = true;
      if (!finished) return [{ type: "error", error: truncatedStreamError() }];
      return [{ type: "message_stop" }];
    },
  };
}
