/**
 * Canonical stream events → OpenAI Responses SSE: response.created / in_progress, per item output_item.added …
 * output_item.done (with content_part, output_text, reasoning_summary and function_call_arguments events in between),
 * and response.completed (or .incomplete) carrying the whole response with usage. Every event has a sequence_number.
 */
import type { AppError } from "@thinkwatch/errors";
import type { ReasoningPart } from "../../canonical/content.js";
import type { FinishReason } from "../../canonical/response.js";
import type { CanonicalStreamEvent, StreamEncoder } from "../../canonical/stream.js";
import type { CanonicalUsage } from "../../canonical/usage.js";
import type { EncodeResponseOptions } from "../../encode-options.js";
import { openAiErrorType, renderOpenAiErrorBody } from "../../errors/openai-error.js";
import { sseEvent } from "../../sse/sse-format.js";
import { statusForFinish } from "./mapping.js";
import { functionCallItem, messageItem, outputTextPart, reasoningItem, responseObject } from "./response-object.js";

interface ItemState {
  outputIndex: number;
  id: string;
  kind: "text" | "reasoning" | "tool_call";
  chunks: string[];
  callId: string;
  name: string;
  reasoning: ReasoningPart;
  summaryStarted: boolean;
  done: boolean;
  final?: Record<string, unknown>;
}

export function createResponsesStreamEncoder(opts: EncodeResponseOptions): StreamEncoder {
  const responseId = `resp_${opts.requestId}`;
  const createdAt = opts.created ?? Math.floor(Date.now() / 1000);
  let sequence = 0;
  let created = false;
  let closed = false;
  let usage: CanonicalUsage | undefined;
  let finish: FinishReason = "stop";
  const items = new Map<number, ItemState>();
  const order: ItemState[] = [];

  const emit = (type: string, payload: Record<string, unknown>): string =>
    sseEvent(type, { type, ...payload, sequence_number: sequence++ });
  const snapshot = (
    status: "in_progress" | "completed" | "incomplete" | "failed",
    extra: Partial<Parameters<typeof responseObject>[0]> = {},
  ) =>
    responseObject({
      id: responseId,
      model: opts.model,
      createdAt,
      status,
      output: status === "in_progress" ? [] : order.flatMap((item) => (item.final === undefined ? [] : [item.final])),
      ...(usage !== undefined && status !== "in_progress" && { usage }),
      ...extra,
    });
  const ensureCreated = (): string => {
    if (created) return "";
    created = true;
    const response = snapshot("in_progress");
    return emit("response.created", { response }) + emit("response.in_progress", { response });
  };
  const text = (item: ItemState) => item.chunks.join("");

  const openItem = (index: number, kind: ItemState["kind"], callId = "", name = ""): string => {
    const outputIndex = order.length;
    const prefix = kind === "text" ? "msg" : kind === "reasoning" ? "rs" : "fc";
    const item: ItemState = {
      outputIndex,
      id: `${prefix}_${opts.requestId}_${outputIndex}`,
      kind,
      chunks: [],
      callId,
      name,
      reasoning: { type: "reasoning", text: "" },
      summaryStarted: false,
      done: false,
    };
    items.set(index, item);
    order.push(item);
    const at = { output_index: outputIndex };
    if (kind === "text") {
      return (
        emit("response.output_item.added", { ...at, item: messageItem(item.id, "", "in_progress") }) +
        emit("response.content_part.added", { item_id: item.id, ...at, content_index: 0, part: outputTextPart("") })
      );
    }
    if (kind === "reasoning") return emit("response.output_item.added", { ...at, item: reasoningItem(item.id, undefined) });
    return emit("response.output_item.added", { ...at, item: functionCallItem(item.id, callId, name, "", "in_progress") });
  };

  const closeItem = (item: ItemState): string => {
    if (item.done) return "";
    item.done = true;
    const at = { item_id: item.id, output_index: item.outputIndex };
    const full = text(item);
    let out = "";
    if (item.kind === "text") {
      item.final = messageItem(item.id, full, "completed");
      out += emit("response.output_text.done", { ...at, content_index: 0, text: full, logprobs: [] });
      out += emit("response.content_part.done", { ...at, content_index: 0, part: outputTextPart(full) });
    } else if (item.kind === "reasoning") {
      item.reasoning.text = full;
      item.final = reasoningItem(item.id, item.reasoning);
      if (item.summaryStarted) {
        out += emit("response.reasoning_summary_text.done", { ...at, summary_index: 0, text: full });
        out += emit("response.reasoning_summary_part.done", {
          ...at,
          summary_index: 0,
          part: { type: "summary_text", text: full },
        });
      }
    } else {
      item.final = functionCallItem(item.id, item.callId, item.name, full, "completed");
      out += emit("response.function_call_arguments.done", { ...at, arguments: full });
    }
    return out + emit("response.output_item.done", { output_index: item.outputIndex, item: item.final });
  };

  const terminate = (): string => {
    closed = true;
    let out = ensureCreated();
    for (const item of order) out += closeItem(item);
    const { status, incomplete_details } = statusForFinish(finish);
    const response = snapshot(status, { incompleteDetails: incomplete_details });
    return out + emit(status === "completed" ? "response.completed" : "response.incomplete", { response });
  };

  const encoder: StreamEncoder = {
    encode(event: CanonicalStreamEvent): string {
      if (closed) return "";
      if (event.type === "usage") {
        usage = event.usage;
        return "";
      }
      let out = ensureCreated();
      switch (event.type) {
        case "message_start":
          return out;
        case "block_start":
          if (event.block.type === "tool_call") {
            const signature = event.block.thoughtSignature;
            if (signature !== undefined) {
              // function_call items have no signature slot: a reasoning item before it carries Gemini's.
              const key = -1 - event.index;
              out += openItem(key, "reasoning");
              const carrier = items.get(key) as ItemState;
              carrier.reasoning.thoughtSignature = signature;
              carrier.reasoning.carries = "tool_call";
              out += closeItem(carrier);
            }
            return out + openItem(event.index, "tool_call", event.block.id, event.block.name);
          }
          return out + openItem(event.index, event.block.type);
        case "text_delta": {
          const item = items.get(event.index);
          if (item === undefined || item.done || event.text === "") return out;
          item.chunks.push(event.text);
          return (
            out +
            emit("response.output_text.delta", {
              item_id: item.id,
              output_index: item.outputIndex,
              content_index: 0,
              delta: event.text,
              logprobs: [],
            })
          );
        }
        case "reasoning_delta": {
          const item = items.get(event.index);
          if (item === undefined || item.done) return out;
          if (event.signature !== undefined) item.reasoning.signature = (item.reasoning.signature ?? "") + event.signature;
          if (event.redactedData !== undefined) item.reasoning.redactedData = event.redactedData;
          if (event.thoughtSignature !== undefined) item.reasoning.thoughtSignature = event.thoughtSignature;
          if (event.encryptedContent !== undefined) item.reasoning.encryptedContent = event.encryptedContent;
          if (event.carries !== undefined) item.reasoning.carries = event.carries;
          if (!event.text) return out;
          const at = { item_id: item.id, output_index: item.outputIndex, summary_index: 0 };
          if (!item.summaryStarted) {
            item.summaryStarted = true;
            out += emit("response.reasoning_summary_part.added", { ...at, part: { type: "summary_text", text: "" } });
          }
          item.chunks.push(event.text);
          return out + emit("response.reasoning_summary_text.delta", { ...at, delta: event.text });
        }
        case "tool_call_delta": {
          const item = items.get(event.index);
          if (item === undefined || item.done || event.arguments === "") return out;
          item.chunks.push(event.arguments);
          return (
            out +
            emit("response.function_call_arguments.delta", {
              item_id: item.id,
              output_index: item.outputIndex,
              delta: event.arguments,
            })
          );
        }
        case "block_stop": {
          const item = items.get(event.index);
          return item === undefined ? out : out + closeItem(item);
        }
        case "finish":
          finish = event.reason;
          return out;
        case "message_stop":
          return out + terminate();
        case "error":
          return out + encoder.error(event.error);
      }
    },
    end: () => (closed ? "" : terminate()),
    error(error: AppError): string {
      if (closed) return "";
      closed = true;
      if (!created) {
        const body = renderOpenAiErrorBody(error).error;
        return emit("error", { code: body.code, message: body.message, param: body.param });
      }
      const code = openAiErrorType(error) === "server_error" ? "server_error" : error.code;
      return emit("response.failed", { response: snapshot("failed", { error: { code, message: error.message } }) });
    },
  };
  return encoder;
}
