/**
 * Canonical stream events. Decoders guarantee: message_start first; every block opened by block_start before its
 * deltas and closed by block_stop; finish and usage before message_stop; usage events carry the complete usage
 * known so far (each one supersedes the previous). Block indexes are unique per stream; blocks may interleave.
 */
import type { AppError } from "@thinkwatch/errors";
import type { FinishReason } from "./response.js";
import type { CanonicalUsage } from "./usage.js";

export type StreamBlock =
  | { type: "text" }
  | { type: "reasoning" }
  | { type: "tool_call"; id: string; name: string; thoughtSignature?: string };

export type CanonicalStreamEvent =
  | { type: "message_start"; id?: string; model?: string }
  | { type: "block_start"; index: number; block: StreamBlock }
  | { type: "text_delta"; index: number; text: string }
  | {
      type: "reasoning_delta";
      index: number;
      text?: string;
      signature?: string;
      redactedData?: string;
      thoughtSignature?: string;
      /** OpenAI Responses encrypted reasoning. */
      encryptedContent?: string;
      /** A carrier block: its Gemini signature belongs to the next tool call or text (see reasoning-token.ts). */
      carries?: "tool_call" | "text";
    }
  | { type: "tool_call_delta"; index: number; arguments: string }
  | { type: "block_stop"; index: number }
  | { type: "finish"; reason: FinishReason; stopSequence?: string }
  | { type: "usage"; usage: CanonicalUsage }
  | { type: "message_stop" }
  | { type: "error"; error: AppError };

/** A stream decoder: fed upstream events one at a time, it returns the canonical events each one produces. */
export interface StreamDecoder<TInput> {
  push(input: TInput): CanonicalStreamEvent[];
  /** The upstream ended: closes what is still open, or reports an error if the stream stopped early. */
  end(): CanonicalStreamEvent[];
}

/** A stream encoder: canonical events in, the client API's own wire text out. */
export interface StreamEncoder {
  encode(event: CanonicalStreamEvent): string;
  /** Terminates the stream if no message_stop or error did so already; returns "" otherwise. */
  end(): string;
  /** The API's own in-stream error event, for an upstream that dies mid-stream; the stream is over afterwards. */
  error(error: AppError): string;
}
