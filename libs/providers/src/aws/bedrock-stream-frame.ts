/**
 * How Bedrock (ConverseStream, InvokeModelWithResponseStream) uses event-stream frames: `:message-type` says
 * event / exception / error, `:event-type` or `:exception-type` names it, and the payload is JSON.
 * Reading turns a frame into a tagged value. The gateway never writes these frames; the writer the fake Bedrock
 * upstream uses lives in @thinkwatch/testkit.
 */
import { AppError } from "@thinkwatch/errors";
import type { EventStreamMessage } from "./event-stream.js";
import type { EventStreamHeaders } from "./event-stream-headers.js";

export type BedrockStreamFrame =
  /** A normal event, e.g. `messageStart`, `contentBlockDelta`, `metadata`. */
  | { kind: "event"; eventType: string; payload: unknown }
  /** A modelled exception sent mid-stream, e.g. `throttlingException`, `modelStreamErrorException`. */
  | { kind: "exception"; exceptionType: string; message: string; payload: unknown }
  /** An unmodelled service error (`:message-type` = `error`, `:error-code`, `:error-message`). */
  | { kind: "error"; errorCode: string; message: string };

const utf8 = new TextDecoder();

export function readBedrockStreamFrame(message: EventStreamMessage): BedrockStreamFrame {
  const messageType = stringHeader(message.headers, ":message-type") ?? "event";
  switch (messageType) {
    case "event": {
      const eventType = stringHeader(message.headers, ":event-type");
      if (eventType === undefined) throw malformed("event frame without :event-type");
      return { kind: "event", eventType, payload: parsePayload(message.payload) };
    }
    case "exception": {
      const exceptionType = stringHeader(message.headers, ":exception-type");
      if (exceptionType === undefined) throw malformed("exception frame without :exception-type");
      const payload = parsePayload(message.payload);
      return { kind: "exception", exceptionType, message: messageOf(payload) ?? exceptionType, payload };
    }
    case "error": {
      const errorCode = stringHeader(message.headers, ":error-code") ?? "UnknownError";
      return { kind: "error", errorCode, message: stringHeader(message.headers, ":error-message") ?? errorCode };
    }
    default:
      throw malformed(`unknown :message-type ${messageType}`);
  }
}

function stringHeader(headers: EventStreamHeaders, name: string): string | undefined {
  const header = headers[name];
  return header?.type === "string" ? header.value : undefined;
}

function parsePayload(payload: Uint8Array): unknown {
  if (payload.length === 0) return {};
  try {
    return JSON.parse(utf8.decode(payload));
  } catch (cause) {
    throw new AppError("upstream_error", "Bedrock stream frame payload is not JSON", { cause });
  }
}

function messageOf(payload: unknown): string | undefined {
  if (typeof payload !== "object" || payload === null) return undefined;
  const record = payload as Record<string, unknown>;
  const message = record.message ?? record.Message;
  return typeof message === "string" ? message : undefined;
}

function malformed(message: string): AppError {
  return new AppError("upstream_error", `malformed Bedrock stream frame: ${message}`);
}
