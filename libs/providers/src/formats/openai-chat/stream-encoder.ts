/**
 * Canonical stream events → OpenAI Chat Completions SSE (`data: {chunk}` … `data: [DONE]`). The usage chunk
 * (`choices: []`) is sent only when the client asked for it with `stream_options.include_usage`.
 */
import type { AppError } from "@thinkwatch/errors";
import type { ReasoningPart } from "../../canonical/content.js";
import type { FinishReason } from "../../canonical/response.js";
import type { CanonicalStreamEvent, StreamEncoder } from "../../canonical/stream.js";
import type { CanonicalUsage } from "../../canonical/usage.js";
import type { EncodeResponseOptions } from "../../encode-options.js";
import { renderOpenAiErrorBody } from "../../errors/openai-error.js";
import { sseData } from "../../sse/sse-format.js";
import { finishReasonToOpenAi, usageToOpenAi } from "./mapping.js";
import { thinkingBlock } from "./thinking-blocks.js";

export interface OpenAiChatStreamOptions extends EncodeResponseOptions {
  includeUsage: boolean;
}

export function createOpenAiChatStreamEncoder(opts: OpenAiChatStreamOptions): StreamEncoder {
  const id = `chatcmpl-${opts.requestId}`;
  const created = opts.created ?? Math.floor(Date.now() / 1000);
  let roleSent = false;
  let finishSent = false;
  let closed = false;
  let usage: CanonicalUsage | undefined;
  /** Canonical block index → OpenAI tool_calls[].index (0, 1, … in order of appearance). */
  const toolIndexes = new Map<number, number>();
  const reasoningText = new Map<number, string>();

  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string => {
    const body: Record<string, unknown> = {
      id,
      object: "chat.completion.chunk",
      created,
      model: opts.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    if (opts.includeUsage) body.usage = null;
    return sseData(body);
  };
  // The first chunk carries the role, as OpenAI's does.
  const withRole = (delta: Record<string, unknown>): Record<string, unknown> => {
    if (roleSent) return delta;
    roleSent = true;
    return { role: "assistant", ...delta };
  };
  const finish = (reason: FinishReason): string => {
    finishSent = true;
    return chunk(roleSent ? {} : withRole({ content: "" }), finishReasonToOpenAi(reason));
  };
  const terminate = (): string => {
    closed = true;
    let out = finishSent ? "" : finish("stop");
    if (opts.includeUsage && usage !== undefined) {
      out += sseData({
        id,
        object: "chat.completion.chunk",
        created,
        model: opts.model,
        choices: [],
        usage: usageToOpenAi(usage),
      });
    }
    return `${out}data: [DONE]\n\n`;
  };

  return {
    encode(event: CanonicalStreamEvent): string {
      if (closed) return "";
      switch (event.type) {
        case "message_start":
          return roleSent ? "" : chunk(withRole({ content: "" }));
        case "block_start": {
          if (event.block.type !== "tool_call") return "";
          const toolIndex = toolIndexes.size;
          toolIndexes.set(event.index, toolIndex);
          const call: Record<string, unknown> = {
            index: toolIndex,
            id: event.block.id,
            type: "function",
            function: { name: event.block.name, arguments: "" },
          };
          if (event.block.thoughtSignature !== undefined)
            call.extra_content = { google: { thought_signature: event.block.thoughtSignature } };
          return chunk(withRole({ tool_calls: [call] }));
        }
        case "text_delta":
          return event.text === "" ? "" : chunk(withRole({ content: event.text }));
        case "reasoning_delta": {
          const text = (reasoningText.get(event.index) ?? "") + (event.text ?? "");
          reasoningText.set(event.index, text);
          let out = event.text === undefined || event.text === "" ? "" : chunk(withRole({ reasoning_content: event.text }));
          // The whole block goes out once its signature is known (thinking-blocks.ts); clients keep the last one.
          const part: ReasoningPart = { type: "reasoning", text };
          if (event.signature) part.signature = event.signature;
          if (event.redactedData !== undefined) part.redactedData = event.redactedData;
          if (event.encryptedContent !== undefined) part.encryptedContent = event.encryptedContent;
          if (event.thoughtSignature !== undefined) part.thoughtSignature = event.thoughtSignature;
          if (event.carries !== undefined) part.carries = event.carries;
          const block = thinkingBlock(part);
          if (block !== undefined) out += chunk(withRole({ thinking_blocks: [block] }));
          return out;
        }
        case "tool_call_delta": {
          const toolIndex = toolIndexes.get(event.index);
          if (toolIndex === undefined || event.arguments === "") return "";
          return chunk(withRole({ tool_calls: [{ index: toolIndex, function: { arguments: event.arguments } }] }));
        }
        case "block_stop":
          return "";
        case "finish":
          return finishSent ? "" : finish(event.reason);
        case "usage":
          usage = event.usage;
          return "";
        case "message_stop":
          return terminate();
        case "error":
          return this.error(event.error);
      }
    },
    end(): string {
      return closed ? "" : terminate();
    },
    error(error: AppError): string {
      if (closed) return "";
      closed = true;
      // OpenAI's own mid-stream failures are a bare `data: {"error": …}` line; no [DONE] follows.
      return sseData(renderOpenAiErrorBody(error));
    },
  };
}
