/**
 * A streaming generation answer, forwarded as the upstream produces it (pull-based: nothing is read ahead of the
 * client). Same format: the upstream's bytes, observed on the side for usage. Otherwise: upstream frames →
 * canonical events → the client API's own event sequence. A dying upstream ends the client's stream with that
 * API's error event; a client that goes away cancels the upstream request.
 */
import { AppError } from "@thinkwatch/errors";
import { type ChunkSource, streamedResponse } from "@thinkwatch/http";
import type { Logger } from "@thinkwatch/log";
import {
  type CanonicalStreamEvent,
  createByteStreamDecoder,
  createEventFramer,
  createEventStreamDecoder,
  createStreamDecoder,
  createStreamEncoder,
  createUsageObserver,
  type InboundFormat,
  readBedrockStreamFrame,
  streamContentType,
  type UpstreamFormat,
} from "@thinkwatch/providers";
import type { Context } from "hono";
import type { RequestRecord } from "./request-record.js";
import { toRecordUsage } from "./usage.js";

export interface StreamContext {
  record: RequestRecord;
  inbound: InboundFormat;
  upstreamFormat: UpstreamFormat;
  passthrough: boolean;
  hideUsageChunk: boolean;
  includeUsage: boolean;
  /** Gemini clients without `alt=sse` get a streamed JSON array. */
  sse: boolean;
  /** Anthropic clients of an upstream that reports usage at the end: input tokens for message_start. */
  estimatedInputTokens?: number;
  requestId: string;
  onFinish(): void;
}

/** Turns one upstream chunk into the bytes for the client (possibly none yet). */
interface ChunkMapper {
  map(chunk: Uint8Array): string | Uint8Array;
  end(): string;
  fail(error: AppError): string;
}

const encoder = new TextEncoder();

/**
 * The streamed answer: on the Node server its chunks go straight to the client's socket (see streamedResponse).
 * `headers` are added to the stream's own (rate-limit headroom, dropped fields).
 */
export function streamResponse(
  c: Context,
  ctx: StreamContext,
  body: AsyncIterable<Uint8Array>,
  headers: Record<string, string>,
  log: Logger,
): Response {
  const head = {
    status: 200,
    headers: {
      "content-type": `${streamContentType(ctx.inbound, { sse: ctx.sse })}; charset=utf-8`,
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      "x-request-id": ctx.requestId,
      // Says that message_start's input_tokens is the gateway's estimate, not the upstream's count.
      ...(ctx.estimatedInputTokens !== undefined && { "x-thinkwatch-estimated-input-tokens": String(ctx.estimatedInputTokens) }),
      ...headers,
    },
  };
  return streamedResponse(c, head, clientChunks(ctx, body), (caught) =>
    log.error({ err: caught, requestId: ctx.requestId }, "writing a streamed answer failed"),
  );
}

/** The client's bytes, one upstream chunk (or more, when one maps to nothing yet) at a time. */
function clientChunks(ctx: StreamContext, body: AsyncIterable<Uint8Array>): ChunkSource {
  const mapper = ctx.passthrough ? passthroughMapper(ctx) : convertingMapper(ctx);
  const iterator = body[Symbol.asyncIterator]();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    ctx.onFinish();
  };
  const toBytes = (out: string | Uint8Array) => (typeof out === "string" ? encoder.encode(out) : out);

  return {
    async next() {
      if (finished) return null;
      try {
        for (;;) {
          const { done, value } = await iterator.next();
          // The client went away while this chunk was awaited: the answer is settled already.
          if (finished) return null;
          if (done) {
            const tail = mapper.end();
            finish();
            return tail === "" ? null : encoder.encode(tail);
          }
          const out = mapper.map(value);
          if (out.length > 0) return toBytes(out);
        }
      } catch (caught) {
        if (finished) return null;
        const error =
          caught instanceof AppError && caught.code !== "internal"
            ? caught
            : new AppError("upstream_error", "the upstream provider stream failed before completing", { cause: caught });
        ctx.record.errorCode = error.code;
        const tail = encoder.encode(mapper.fail(error));
        finish();
        return tail;
      }
    },
    cancel() {
      if (finished) return;
      ctx.record.errorCode = "client_closed";
      ctx.record.statusCode = 499;
      // Ending the upstream body iterator destroys the upstream response, which closes that request.
      void iterator.return?.();
      finish();
    },
  };
}

function passthroughMapper(ctx: StreamContext): ChunkMapper {
  // Passthrough only happens when inbound and upstream formats are equal, so the format is an SSE one.
  const format = ctx.inbound;
  const observer = createUsageObserver(format);
  const framer = ctx.hideUsageChunk ? createEventFramer(format) : null;
  let started = false;
  const settle = () => {
    const seen = observer.end();
    if (seen.usage !== undefined) ctx.record.setUsage(toRecordUsage(seen.usage));
  };
  return {
    map(chunk) {
      started = true;
      ctx.record.markFirstToken();
      // Raw event bytes over-count the text; for a usage estimate, erring high is the safe side.
      ctx.record.streamedChars += chunk.byteLength;
      if (framer === null) {
        observer.push(chunk);
        return chunk;
      }
      // Re-framed to drop one event: the same framing feeds the observer (one SSE parse per chunk, not two).
      let out = "";
      for (const event of framer.push(chunk)) {
        observer.pushEvent(event);
        // The usage-only chunk the gateway asked for on the client's behalf: seen by the observer, not forwarded.
        if (event.data.includes('"choices":[]') && event.data.includes('"usage"')) continue;
        out += `data: ${event.data}\n\n`;
      }
      return out;
    },
    end() {
      if (framer !== null) for (const event of framer.end()) observer.pushEvent(event);
      settle();
      return "";
    },
    fail(error) {
      settle();
      const encoder = createStreamEncoder(format, { model: ctx.record.model, requestId: ctx.requestId, sse: ctx.sse });
      // The upstream's own stream start already reached the client: the error is a mid-stream one (Responses:
      // response.failed rather than a bare error event).
      if (started) encoder.encode({ type: "message_start" });
      return encoder.error(error);
    },
  };
}

function convertingMapper(ctx: StreamContext): ChunkMapper {
  const out = createStreamEncoder(ctx.inbound, {
    model: ctx.record.model,
    requestId: ctx.requestId,
    includeUsage: ctx.includeUsage,
    sse: ctx.sse,
    ...(ctx.estimatedInputTokens !== undefined && { estimatedInputTokens: ctx.estimatedInputTokens }),
  });
  const decode = upstreamDecoder(ctx.upstreamFormat);
  const render = (events: CanonicalStreamEvent[]) => {
    let text = "";
    for (const event of events) {
      switch (event.type) {
        case "usage":
          ctx.record.setUsage(toRecordUsage(event.usage));
          break;
        case "text_delta":
          ctx.record.streamedChars += event.text.length;
          ctx.record.markFirstToken();
          break;
        case "tool_call_delta":
        case "reasoning_delta":
          ctx.record.markFirstToken();
          break;
        case "error":
          ctx.record.errorCode = event.error.code;
          break;
      }
      text += out.encode(event);
    }
    return text;
  };
  return {
    map: (chunk) => render(decode.push(chunk)),
    end: () => render(decode.end()) + out.end(),
    fail: (error) => out.error(error),
  };
}

/** Upstream bytes → canonical events: SSE for most formats, AWS event-stream frames for Bedrock. */
function upstreamDecoder(format: UpstreamFormat): {
  push(chunk: Uint8Array): CanonicalStreamEvent[];
  end(): CanonicalStreamEvent[];
} {
  if (format !== "bedrock_converse") return createByteStreamDecoder(format);
  const frames = createEventStreamDecoder();
  const events = createStreamDecoder("bedrock_converse");
  return {
    push(chunk) {
      const result: CanonicalStreamEvent[] = [];
      for (const message of frames.push(chunk)) {
        const frame = readBedrockStreamFrame(message);
        if (frame.kind === "event") {
          for (const event of events.push({ eventType: frame.eventType, payload: frame.payload })) result.push(event);
        } else {
          result.push({ type: "error", error: new AppError("upstream_error", `Bedrock stream failed: ${frame.message}`) });
        }
      }
      return result;
    },
    end: () => events.end(),
  };
}
