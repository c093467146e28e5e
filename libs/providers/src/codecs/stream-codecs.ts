/**
 * Stream decoders (upstream events → canonical) and encoders (canonical → a client API's wire text), one per
 * format, plus a byte-level decoder that frames raw upstream bytes first. Decoders never throw: a malformed event
 * becomes a canonical error event and the decoder goes quiet.
 */
import { AppError } from "@thinkwatch/errors";
import type { CanonicalStreamEvent, StreamDecoder, StreamEncoder } from "../canonical/stream.js";
import type { EncodeResponseOptions } from "../encode-options.js";
import { createAnthropicStreamDecoder } from "../formats/anthropic-messages/stream-decoder.js";
import { createAnthropicStreamEncoder } from "../formats/anthropic-messages/stream-encoder.js";
import type { BedrockStreamEvent } from "../formats/bedrock-converse/schema.js";
import { createBedrockStreamDecoder } from "../formats/bedrock-converse/stream-decoder.js";
import { createGeminiStreamDecoder } from "../formats/gemini/stream-decoder.js";
import { createGeminiStreamEncoder } from "../formats/gemini/stream-encoder.js";
import { createOpenAiChatStreamDecoder } from "../formats/openai-chat/stream-decoder.js";
import { createOpenAiChatStreamEncoder } from "../formats/openai-chat/stream-encoder.js";
import { createResponsesStreamDecoder } from "../formats/openai-responses/stream-decoder.js";
import { createResponsesStreamEncoder } from "../formats/openai-responses/stream-encoder.js";
import type { InboundFormat, SseFormat } from "../formats.js";
import { createEventFramer } from "../sse/event-framer.js";
import type { SseEvent } from "../sse/sse-parser.js";

const SSE_DECODERS: Record<SseFormat, () => StreamDecoder<SseEvent>> = {
  openai_chat: createOpenAiChatStreamDecoder,
  anthropic_messages: createAnthropicStreamDecoder,
  openai_responses: createResponsesStreamDecoder,
  gemini: createGeminiStreamDecoder,
};

function guarded<T>(inner: StreamDecoder<T>): StreamDecoder<T> {
  let failed = false;
  const run = (step: () => CanonicalStreamEvent[]): CanonicalStreamEvent[] => {
    if (failed) return [];
    try {
      return step();
    } catch (cause) {
      failed = true;
      // Our own decoders throw AppErrors; anything else is a bug, reported without its internals.
      const error =
        cause instanceof AppError
          ? cause
          : new AppError("upstream_error", "the upstream stream could not be read", { cause, retryable: true });
      return [{ type: "error", error }];
    }
  };
  return { push: (input) => run(() => inner.push(input)), end: () => run(() => inner.end()) };
}

/** Upstream events → canonical events. SSE formats take parsed SSE events; Bedrock takes unframed events. */
export function createStreamDecoder(format: "bedrock_converse"): StreamDecoder<BedrockStreamEvent>;
export function createStreamDecoder(format: SseFormat): StreamDecoder<SseEvent>;
export function createStreamDecoder(
  format: SseFormat | "bedrock_converse",
): StreamDecoder<SseEvent> | StreamDecoder<BedrockStreamEvent> {
  if (format === "bedrock_converse") return guarded(createBedrockStreamDecoder());
  return guarded(SSE_DECODERS[format]());
}

/** Raw upstream bytes (any chunking) → canonical events, for the SSE formats. */
export function createByteStreamDecoder(format: SseFormat): StreamDecoder<Uint8Array | string> {
  const framer = createEventFramer(format);
  const decoder = createStreamDecoder(format);
  return {
    push(chunk) {
      const out: CanonicalStreamEvent[] = [];
      for (const event of framer.push(chunk)) for (const item of decoder.push(event)) out.push(item);
      return out;
    },
    end() {
      const out: CanonicalStreamEvent[] = [];
      for (const event of framer.end()) for (const item of decoder.push(event)) out.push(item);
      for (const item of decoder.end()) out.push(item);
      return out;
    },
  };
}

export interface StreamEncoderOptions extends EncodeResponseOptions {
  /** OpenAI Chat: the client set `stream_options.include_usage`. */
  includeUsage?: boolean;
  /** Gemini: false when the client called streamGenerateContent without `alt=sse` (a JSON array is streamed). */
  sse?: boolean;
}

/** Canonical events → the wire text a client of `format` expects; see StreamEncoder. */
export function createStreamEncoder(format: InboundFormat, opts: StreamEncoderOptions): StreamEncoder {
  switch (format) {
    case "openai_chat":
      return createOpenAiChatStreamEncoder({ ...opts, includeUsage: opts.includeUsage === true });
    case "anthropic_messages":
      return createAnthropicStreamEncoder(opts);
    case "openai_responses":
      return createResponsesStreamEncoder(opts);
    case "gemini":
      return createGeminiStreamEncoder(opts);
  }
}

/** The Content-Type of a client stream. */
export function streamContentType(format: InboundFormat, opts: { sse?: boolean } = {}): string {
  return format === "gemini" && opts.sse === false ? "application/json" : "text/event-stream";
}
