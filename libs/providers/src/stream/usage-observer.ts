/**
 * For same-format pass-through the gateway forwards upstream bytes untouched; this observer reads along and keeps
 * only usage, finish reason and model. It parses just the events that can carry them (by event name or a cheap
 * substring test), so it costs far less than decoding the stream.
 */
import type { FinishReason } from "../canonical/response.js";
import type { CanonicalUsage } from "../canonical/usage.js";
import { finishReasonFromAnthropic, mergeAnthropicUsage } from "../formats/anthropic-messages/mapping.js";
import type { AnthropicStreamEvent } from "../formats/anthropic-messages/schema.js";
import { finishReasonFromGemini, usageFromGemini } from "../formats/gemini/mapping.js";
import type { GeminiResponse } from "../formats/gemini/schema.js";
import { finishReasonFromOpenAi, usageFromOpenAi } from "../formats/openai-chat/mapping.js";
import type { OpenAiChatChunk } from "../formats/openai-chat/schema.js";
import { finishReasonFromResponses, usageFromResponses } from "../formats/openai-responses/mapping.js";
import type { ResponsesStreamEvent } from "../formats/openai-responses/schema.js";
import type { SseFormat } from "../formats.js";
import { createEventFramer } from "../sse/event-framer.js";
import type { SseEvent } from "../sse/sse-parser.js";

export interface ObservedUsage {
  usage?: CanonicalUsage;
  finishReason?: FinishReason;
  model?: string;
}

export interface UsageObserver {
  push(chunk: Uint8Array | string): void;
  /** An event the caller already framed (it re-frames the stream itself): one SSE parse serves both. */
  pushEvent(event: SseEvent): void;
  /** Call at end of stream; returns what was seen (also available as `result` at any time). */
  end(): ObservedUsage;
  readonly result: ObservedUsage;
}

type Observe = (event: SseEvent, seen: ObservedUsage) => void;

function parse<T>(data: string): T | undefined {
  try {
    return JSON.parse(data) as T;
  } catch {
    return undefined;
  }
}

const has = (data: string, ...needles: string[]) => needles.some((needle) => data.includes(needle));

const observeOpenAiChat: Observe = (event, seen) => {
  if (event.data === "[DONE]") return;
  if (seen.model !== undefined && !has(event.data, '"finish_reason":"', '"finish_reason": "', '"usage":{', '"usage": {')) return;
  const chunk = parse<OpenAiChatChunk>(event.data);
  if (chunk === undefined) return;
  if (seen.model === undefined && chunk.model) seen.model = chunk.model;
  const reason = chunk.choices?.[0]?.finish_reason;
  if (reason) seen.finishReason = finishReasonFromOpenAi(reason);
  if (chunk.usage) seen.usage = usageFromOpenAi(chunk.usage);
};

const observeAnthropic: Observe = (event, seen) => {
  const name = event.event;
  if (name !== undefined ? name !== "message_start" && name !== "message_delta" : !has(event.data, '"type":"message_')) return;
  const parsed = parse<AnthropicStreamEvent>(event.data);
  if (parsed === undefined) return;
  if (parsed.type === "message_start") {
    if (parsed.message?.model) seen.model = parsed.message.model;
    if (parsed.message?.usage) seen.usage = mergeAnthropicUsage(seen.usage, parsed.message.usage);
  } else if (parsed.type === "message_delta") {
    if (parsed.delta?.stop_reason) seen.finishReason = finishReasonFromAnthropic(parsed.delta.stop_reason);
    if (parsed.usage) seen.usage = mergeAnthropicUsage(seen.usage, parsed.usage);
  }
};

function observeGemini(): Observe {
  let sawToolCall = false;
  return (event, seen) => {
    if (seen.model !== undefined && !has(event.data, "usageMetadata", "finishReason", "functionCall")) return;
    const chunk = parse<GeminiResponse>(event.data);
    if (chunk === undefined) return;
    if (seen.model === undefined && chunk.modelVersion) seen.model = chunk.modelVersion;
    const candidate = chunk.candidates?.[0];
    if (candidate?.content?.parts?.some((part) => part.functionCall !== undefined)) sawToolCall = true;
    if (candidate?.finishReason) seen.finishReason = finishReasonFromGemini(candidate.finishReason, sawToolCall);
    if (chunk.usageMetadata) seen.usage = usageFromGemini(chunk.usageMetadata);
  };
}

const RESPONSES_EVENTS = new Set(["response.created", "response.completed", "response.incomplete"]);
const observeResponses: Observe = (event, seen) => {
  if (event.event !== undefined && !RESPONSES_EVENTS.has(event.event)) return;
  const parsed = parse<ResponsesStreamEvent>(event.data);
  const response = parsed?.response;
  if (parsed === undefined || response === undefined || !RESPONSES_EVENTS.has(parsed.type)) return;
  if (response.model) seen.model = response.model;
  if (parsed.type === "response.created") return;
  const hasToolCalls = response.output.some((item) => item.type === "function_call");
  seen.finishReason = finishReasonFromResponses(response.status, response.incomplete_details?.reason, hasToolCalls);
  if (response.usage) seen.usage = usageFromResponses(response.usage);
};

export function createUsageObserver(format: SseFormat): UsageObserver {
  const framer = createEventFramer(format);
  const observe: Observe =
    format === "openai_chat"
      ? observeOpenAiChat
      : format === "anthropic_messages"
        ? observeAnthropic
        : format === "gemini"
          ? observeGemini()
          : observeResponses;
  const result: ObservedUsage = {};
  return {
    push(chunk) {
      for (const event of framer.push(chunk)) observe(event, result);
    },
    pushEvent(event) {
      observe(event, result);
    },
    end() {
      for (const event of framer.end()) observe(event, result);
      return result;
    },
    result,
  };
}
