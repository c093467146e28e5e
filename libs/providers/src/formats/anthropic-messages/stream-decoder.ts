/**
 * Anthropic Messages SSE events → canonical stream events. Input tokens arrive on message_start and output tokens
 * on message_delta; the decoder folds both into every usage event it emits, so the final one has both.
 */
import type { ReasoningPart } from "../../canonical/content.js";
import { applyReasoningToken, reasoningFields } from "../../canonical/reasoning-token.js";
import type { CanonicalStreamEvent, StreamDecoder } from "../../canonical/stream.js";
import { stringifyToolArguments } from "../../canonical/tool-arguments.js";
import type { CanonicalUsage } from "../../canonical/usage.js";
import type { SseEvent } from "../../sse/sse-parser.js";
import { parseEventJson, truncatedStreamError, upstreamStreamError } from "../../upstream-error-event.js";
import { finishReasonFromAnthropic, mergeAnthropicUsage } from "./mapping.js";
import type { AnthropicStreamEvent } from "./schema.js";

export function createAnthropicStreamDecoder(): StreamDecoder<SseEvent> {
  let usage: CanonicalUsage | undefined;
  let finished = false;
  let done = false;
  /** Indexes of blocks we forward; server-tool blocks are skipped along with their deltas. */
  const forwarded = new Set<number>();

  return {
    push(sse) {
      if (done || sse.event === "ping") return [];
      const event = parseEventJson(sse.data) as AnthropicStreamEvent;
      const out: CanonicalStreamEvent[] = [];
      const index = event.index ?? 0;
      switch (event.type) {
        case "message_start": {
          const start: CanonicalStreamEvent = { type: "message_start" };
          if (event.message?.id) start.id = event.message.id;
          if (event.message?.model) start.model = event.message.model;
          out.push(start);
          if (event.message?.usage) {
            usage = mergeAnthropicUsage(usage, event.message.usage);
            out.push({ type: "usage", usage });
          }
          break;
        }
        case "content_block_start": {
          const block = event.content_block;
          if (block === undefined) break;
          if (block.type === "text") {
            forwarded.add(index);
            out.push({ type: "block_start", index, block: { type: "text" } });
            if (block.text) out.push({ type: "text_delta", index, text: block.text });
          } else if (block.type === "thinking") {
            forwarded.add(index);
            out.push({ type: "block_start", index, block: { type: "reasoning" } });
            if (block.thinking) out.push({ type: "reasoning_delta", index, text: block.thinking });
          } else if (block.type === "redacted_thinking") {
            forwarded.add(index);
            out.push({ type: "block_start", index, block: { type: "reasoning" } });
            if (block.data) out.push({ type: "reasoning_delta", index, redactedData: block.data });
          } else if (block.type === "tool_use") {
            forwarded.add(index);
            out.push({ type: "block_start", index, block: { type: "tool_call", id: block.id ?? "", name: block.name ?? "" } });
            const input = block.input;
            if (typeof input === "object" && input !== null && Object.keys(input).length > 0) {
              out.push({ type: "tool_call_delta", index, arguments: stringifyToolArguments(input) });
            }
          }
          break;
        }
        case "content_block_delta": {
          const delta = event.delta;
          if (!forwarded.has(index) || delta === undefined) break;
          if (delta.type === "text_delta" && delta.text) out.push({ type: "text_delta", index, text: delta.text });
          else if (delta.type === "input_json_delta" && delta.partial_json)
            out.push({ type: "tool_call_delta", index, arguments: delta.partial_json });
          else if (delta.type === "thinking_delta" && delta.thinking)
            out.push({ type: "reasoning_delta", index, text: delta.thinking });
          else if (delta.type === "signature_delta" && delta.signature) {
            // A prefixed token the gateway handed out goes back to its vendor's field (reasoning-token.ts).
            const token: ReasoningPart = { type: "reasoning", text: "" };
            if (!applyReasoningToken(token, delta.signature))
              out.push({ type: "reasoning_delta", index, signature: delta.signature });
            else out.push({ type: "reasoning_delta", index, ...reasoningFields(token) });
          }
          break;
        }
        case "content_block_stop":
          if (forwarded.delete(index)) out.push({ type: "block_stop", index });
          break;
        case "message_delta": {
          if (event.delta?.stop_reason) {
            finished = true;
            const finish: CanonicalStreamEvent = { type: "finish", reason: finishReasonFromAnthropic(event.delta.stop_reason) };
            if (event.delta.stop_sequence) finish.stopSequence = event.delta.stop_sequence;
            out.push(finish);
          }
          if (event.usage) {
            usage = mergeAnthropicUsage(usage, event.usage);
            out.push({ type: "usage", usage });
          }
          break;
        }
        case "message_stop":
          done = true;
          for (const open of forwarded) out.push({ type: "block_stop", index: open });
          forwarded.clear();
          out.push({ type: "message_stop" });
          break;
        case "error":
          done = true;
          out.push({ type: "error", error: upstreamStreamError(event.error?.message, event.error?.type) });
          break;
      }
      return out;
    },
    end() {
      if (done) return [];
      done = true;
      return finished ? [{ type: "message_stop" }] : [{ type: "error", error: truncatedStreamError() }];
    },
  };
}
