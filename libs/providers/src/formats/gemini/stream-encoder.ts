/**
 * Canonical stream events → Gemini streamGenerateContent output: one GenerateContentResponse chunk per text or
 * thought delta, one per complete function call (Gemini never streams partial arguments, so they are buffered until
 * the call's block ends), and a last chunk with finishReason and usageMetadata. SSE (`alt=sse`) by default; the
 * JSON-array framing that Gemini uses without `alt=sse` on request.
 */
import type { AppError } from "@thinkwatch/errors";
import { foreignDeltaToken } from "../../canonical/reasoning-token.js";
import type { FinishReason } from "../../canonical/response.js";
import type { CanonicalStreamEvent, StreamEncoder } from "../../canonical/stream.js";
import { type CanonicalUsage, emptyUsage } from "../../canonical/usage.js";
import type { EncodeResponseOptions } from "../../encode-options.js";
import { renderGeminiErrorBody } from "../../errors/gemini-error.js";
import { finishReasonToGemini, usageToGemini } from "./mapping.js";
import { geminiPart } from "./response.js";

export interface GeminiStreamOptions extends EncodeResponseOptions {
  /** False for a client that called streamGenerateContent without `alt=sse`: a JSON array is streamed instead. */
  sse?: boolean;
}

interface ToolState {
  id: string;
  name: string;
  thoughtSignature?: string;
  args: string[];
}

export function createGeminiStreamEncoder(opts: GeminiStreamOptions): StreamEncoder {
  const sse = opts.sse !== false;
  let chunks = 0;
  let closed = false;
  let usage: CanonicalUsage | undefined;
  let finish: FinishReason = "stop";
  const tools = new Map<number, ToolState>();

  const frame = (body: Record<string, unknown>): string => {
    const json = JSON.stringify(body);
    if (sse) return `data: ${json}\r\n\r\n`;
    return chunks++ === 0 ? `[${json}` : `,\r\n${json}`;
  };
  const chunk = (parts: Record<string, unknown>[], extra: Record<string, unknown> = {}): string =>
    frame({
      candidates: [{ content: { role: "model", parts }, ...extra, index: 0 }],
      ...(extra.finishReason !== undefined && { usageMetadata: usageToGemini(usage ?? emptyUsage()) }),
      modelVersion: opts.model,
      responseId: opts.requestId,
    });
  const arrayEnd = (): string => (sse ? "" : chunks === 0 ? "[]" : "]");
  const terminate = (): string => {
    closed = true;
    return chunk([{ text: "" }], { finishReason: finishReasonToGemini(finish) }) + arrayEnd();
  };

  const encoder: StreamEncoder = {
    encode(event: CanonicalStreamEvent): string {
      if (closed) return "";
      switch (event.type) {
        case "message_start":
          return "";
        case "block_start":
          if (event.block.type === "tool_call") {
            const state: ToolState = { id: event.block.id, name: event.block.name, args: [] };
            if (event.block.thoughtSignature !== undefined) state.thoughtSignature = event.block.thoughtSignature;
            tools.set(event.index, state);
          }
          return "";
        case "text_delta":
          return event.text === "" ? "" : chunk([{ text: event.text }]);
        case "reasoning_delta": {
          // A text signature carried on its own (see reasoning-token.ts) is Gemini's empty signed text part.
          if (event.carries === "text" && event.thoughtSignature !== undefined)
            return chunk([{ text: "", thoughtSignature: event.thoughtSignature }]);
          const part: Record<string, unknown> = { text: event.text ?? "", thought: true };
          const signature =
            event.thoughtSignature ??
            foreignDeltaToken({
              signature: event.signature,
              redactedData: event.redactedData,
              encryptedContent: event.encryptedContent,
            });
          if (signature !== undefined) part.thoughtSignature = signature;
          return event.text || signature !== undefined ? chunk([part]) : "";
        }
        case "tool_call_delta":
          tools.get(event.index)?.args.push(event.arguments);
          return "";
        case "block_stop": {
          const state = tools.get(event.index);
          if (state === undefined) return "";
          tools.delete(event.index);
          const part = geminiPart({
            type: "tool_call",
            id: state.id,
            name: state.name,
            arguments: state.args.join(""),
            ...(state.thoughtSignature !== undefined && { thoughtSignature: state.thoughtSignature }),
          });
          return chunk([part]);
        }
        case "finish":
          finish = event.reason;
          return "";
        case "usage":
          usage = event.usage;
          return "";
        case "message_stop": {
          // Calls whose block never closed are still delivered whole.
          let out = "";
          for (const index of [...tools.keys()]) out += encoder.encode({ type: "block_stop", index });
          return out + terminate();
        }
        case "error":
          return encoder.error(event.error);
      }
    },
    end: () => (closed ? "" : encoder.encode({ type: "message_stop" })),
    error(error: AppError): string {
      if (closed) return "";
      closed = true;
      return frame(renderGeminiErrorBody(error)) + arrayEnd();
    },
  };
  return encoder;
}
