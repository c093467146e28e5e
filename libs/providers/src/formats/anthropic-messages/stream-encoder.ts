/**
 * Canonical stream events → Anthropic Messages SSE: message_start, content_block_start/delta/stop per block,
 * message_delta (stop_reason + full usage, input tokens included), message_stop. message_start is held back one
 * event so an immediately following usage event (Anthropic and Bedrock upstreams) lands in it, as Anthropic's does.
 */
import type { AppError } from "@thinkwatch/errors";
import { foreignDeltaToken, reasoningToken } from "../../canonical/reasoning-token.js";
import type { FinishReason } from "../../canonical/response.js";
import type { CanonicalStreamEvent, StreamEncoder } from "../../canonical/stream.js";
import { type CanonicalUsage, emptyUsage } from "../../canonical/usage.js";
import type { EncodeResponseOptions } from "../../encode-options.js";
import { renderAnthropicErrorBody } from "../../errors/anthropic-error.js";
import { sseEvent } from "../../sse/sse-format.js";
import { finishReasonToAnthropic, usageToAnthropic } from "./mapping.js";

interface BlockState {
  index: number;
  kind: "text" | "reasoning" | "tool_call";
  started: boolean;
  stopped: boolean;
}

export function createAnthropicStreamEncoder(opts: EncodeResponseOptions): StreamEncoder {
  let startPending = false;
  let startSent = false;
  let closed = false;
  let usage: CanonicalUsage | undefined;
  let finish: { reason: FinishReason; stopSequence?: string } | undefined;
  let nextIndex = 0;
  const blocks = new Map<number, BlockState>();

  const messageStart = (): string => {
    startPending = false;
    startSent = true;
    const message = {
      id: `msg_${opts.requestId}`,
      type: "message",
      role: "assistant",
      model: opts.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usageToAnthropic(usage ?? { ...emptyUsage(), inputTokens: opts.estimatedInputTokens ?? 0 }),
    };
    return sseEvent("message_start", { type: "message_start", message });
  };
  /** Anything but a usage event flushes a held-back message_start first. */
  const flushStart = (): string => (startPending || !startSent ? messageStart() : "");

  const startBlock = (state: BlockState, contentBlock: Record<string, unknown>): string => {
    state.started = true;
    return sseEvent("content_block_start", { type: "content_block_start", index: state.index, content_block: contentBlock });
  };
  const delta = (state: BlockState, payload: Record<string, unknown>): string =>
    sseEvent("content_block_delta", { type: "content_block_delta", index: state.index, delta: payload });
  const stopBlock = (state: BlockState): string => {
    if (state.stopped) return "";
    state.stopped = true;
    // A reasoning block that never received a delta still has to open before it closes.
    const open = state.started ? "" : startBlock(state, { type: "thinking", thinking: "", signature: "" });
    return `${open}${sseEvent("content_block_stop", { type: "content_block_stop", index: state.index })}`;
  };
  const terminate = (): string => {
    closed = true;
    let out = flushStart();
    for (const state of blocks.values()) out += stopBlock(state);
    const reason = finish ?? { reason: "stop" as FinishReason };
    out += sseEvent("message_delta", {
      type: "message_delta",
      delta: {
        stop_reason: finishReasonToAnthropic(reason.reason, reason.stopSequence),
        stop_sequence: reason.stopSequence ?? null,
      },
      usage: usageToAnthropic(usage ?? emptyUsage()),
    });
    return out + sseEvent("message_stop", { type: "message_stop" });
  };

  const encode = (event: CanonicalStreamEvent): string => {
    if (closed) return "";
    if (event.type === "usage") {
      usage = event.usage;
      return "";
    }
    if (event.type === "message_start") {
      if (!startSent) startPending = true;
      return "";
    }
    let out = flushStart();
    switch (event.type) {
      case "block_start": {
        const state: BlockState = { index: nextIndex++, kind: event.block.type, started: false, stopped: false };
        blocks.set(event.index, state);
        if (event.block.type === "text") out += startBlock(state, { type: "text", text: "" });
        else if (event.block.type === "tool_call") {
          const signature = event.block.thoughtSignature;
          if (signature !== undefined) {
            // tool_use has no signature slot: a thinking block right before it carries Gemini's (reasoning-token.ts).
            state.index = nextIndex++;
            const carrier: BlockState = { index: state.index - 1, kind: "reasoning", started: false, stopped: false };
            const token = reasoningToken({ type: "reasoning", text: "", thoughtSignature: signature, carries: "tool_call" });
            out += startBlock(carrier, { type: "thinking", thinking: "", signature: "" });
            out += delta(carrier, { type: "signature_delta", signature: token });
            out += stopBlock(carrier);
          }
          out += startBlock(state, { type: "tool_use", id: event.block.id, name: event.block.name, input: {} });
        }
        // Reasoning opens on its first delta: only then is it known to be thinking or redacted_thinking.
        return out;
      }
      case "text_delta": {
        const state = blocks.get(event.index);
        if (state === undefined || state.stopped || event.text === "") return out;
        return out + delta(state, { type: "text_delta", text: event.text });
      }
      case "reasoning_delta": {
        const state = blocks.get(event.index);
        if (state === undefined || state.stopped) return out;
        if (!state.started) {
          if (event.redactedData !== undefined)
            return out + startBlock(state, { type: "redacted_thinking", data: event.redactedData });
          out += startBlock(state, { type: "thinking", thinking: "", signature: "" });
        }
        if (event.text) out += delta(state, { type: "thinking_delta", thinking: event.text });
        // OpenAI encrypted reasoning or a Gemini signature rides the signature slot, prefixed (reasoning-token.ts).
        const signature =
          event.signature ||
          foreignDeltaToken({
            encryptedContent: event.encryptedContent,
            thoughtSignature: event.thoughtSignature,
            carries: event.carries,
          });
        if (signature) out += delta(state, { type: "signature_delta", signature });
        return out;
      }
      case "tool_call_delta": {
        const state = blocks.get(event.index);
        if (state === undefined || state.stopped || event.arguments === "") return out;
        return out + delta(state, { type: "input_json_delta", partial_json: event.arguments });
      }
      case "block_stop": {
        const state = blocks.get(event.index);
        return state === undefined ? out : out + stopBlock(state);
      }
      case "finish":
        finish =
          event.stopSequence === undefined
            ? { reason: event.reason }
            : { reason: event.reason, stopSequence: event.stopSequence };
        return out;
      case "message_stop":
        return out + terminate();
      case "error":
        return out + encoder.error(event.error);
    }
  };

  const encoder: StreamEncoder = {
    encode,
    end: () => (closed ? "" : terminate()),
    error(error: AppError): string {
      if (closed) return "";
      closed = true;
      return sseEvent("error", renderAnthropicErrorBody(error));
    },
  };
  return encoder;
}
