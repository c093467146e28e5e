/**
 * ConverseStream events (already unframed: `{eventType, payload}`) → canonical stream events. Bedrock announces
 * only tool-use blocks with contentBlockStart; text and reasoning blocks open on their first delta. The usage comes
 * in the final `metadata` event, after messageStop.
 */
import type { CanonicalStreamEvent, StreamDecoder } from "../../canonical/stream.js";
import { truncatedStreamError, upstreamStreamError } from "../../upstream-error-event.js";
import { finishReasonFromBedrock, usageFromBedrock } from "./mapping.js";
import type { BedrockStreamEvent, BedrockStreamPayload } from "./schema.js";

export function createBedrockStreamDecoder(): StreamDecoder<BedrockStreamEvent> {
  let started = false;
  let done = false;
  let finished = false;
  const open = new Map<number, "text" | "reasoning" | "tool_call">();

  const stopAll = (out: CanonicalStreamEvent[]) => {
    for (const index of open.keys()) out.push({ type: "block_stop", index });
    open.clear();
  };
  const ensure = (index: number, kind: "text" | "reasoning", out: CanonicalStreamEvent[]) => {
    if (open.has(index)) return;
    open.set(index, kind);
    out.push({ type: "block_start", index, block: { type: kind } });
  };

  return {
    push(event) {
      if (done) return [];
      let payload = (event.payload ?? {}) as BedrockStreamPayload & Record<string, unknown>;
      // Some decoders keep the SDK's wrapping ({contentBlockDelta: {...}}); unwrap it.
      const wrapped = payload[event.eventType];
      if (typeof wrapped === "object" && wrapped !== null) payload = wrapped as typeof payload;
      const out: CanonicalStreamEvent[] = [];
      if (!started && !event.eventType.endsWith("Exception")) {
        started = true;
        out.push({ type: "message_start" });
      }
      const index = payload.contentBlockIndex ?? 0;
      switch (event.eventType) {
        case "messageStart":
          break;
        case "contentBlockStart": {
          const toolUse = payload.start?.toolUse;
          if (toolUse !== undefined) {
            open.set(index, "tool_call");
            out.push({ type: "block_start", index, block: { type: "tool_call", id: toolUse.toolUseId, name: toolUse.name } });
          }
          break;
        }
        case "contentBlockDelta": {
          const delta = payload.delta;
          if (delta?.text !== undefined) {
            ensure(index, "text", out);
            if (delta.text !== "") out.push({ type: "text_delta", index, text: delta.text });
          } else if (delta?.toolUse !== undefined) {
            if (delta.toolUse.input !== "") out.push({ type: "tool_call_delta", index, arguments: delta.toolUse.input });
          } else if (delta?.reasoningContent !== undefined) {
            ensure(index, "reasoning", out);
            const { text, signature, redactedContent } = delta.reasoningContent;
            if (text) out.push({ type: "reasoning_delta", index, text });
            if (signature) out.push({ type: "reasoning_delta", index, signature });
            if (redactedContent) out.push({ type: "reasoning_delta", index, redactedData: redactedContent });
          }
          break;
        }
        case "contentBlockStop":
          if (open.delete(index)) out.push({ type: "block_stop", index });
          break;
        case "messageStop":
          finished = true;
          stopAll(out);
          out.push({ type: "finish", reason: finishReasonFromBedrock(payload.stopReason) });
          break;
        case "metadata":
          if (payload.usage) out.push({ type: "usage", usage: usageFromBedrock(payload.usage) });
          done = true;
          out.push({ type: "message_stop" });
          break;
        default:
          if (event.eventType.endsWith("Exception")) {
            done = true;
            out.push({ type: "error", error: upstreamStreamError(payload.message, event.eventType) });
          }
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
