/**
 * What a test can script for the next response(s) of a fake upstream. Every field is optional: a step with only
 * `delayMs` keeps the default reply and just slows it down; `text`/`toolCalls` replace the default reply.
 */
import * as v from "valibot";

export const FINISH_REASONS = ["stop", "length", "tool_calls", "content_filter"] as const;

/** Token counts in one neutral shape; each protocol renders them its own way (see usage-rule.ts). */
export const FakeUsageSchema = v.object({
  /** All input tokens, cached ones included. */
  inputTokens: v.number(),
  /** All output tokens, reasoning included. */
  outputTokens: v.number(),
  cachedInputTokens: v.number(),
  cacheCreationInputTokens: v.number(),
  reasoningTokens: v.number(),
});
export type FakeUsage = v.InferOutput<typeof FakeUsageSchema>;

const NonNegativeInt = v.pipe(v.number(), v.integer(), v.minValue(0));

export const FakeScriptSchema = v.strictObject({
  text: v.optional(v.string()),
  toolCalls: v.optional(
    v.array(
      v.strictObject({
        name: v.string(),
        /** An object is serialised with JSON.stringify; a string is sent as it is (even if it is not valid JSON). */
        arguments: v.union([v.string(), v.record(v.string(), v.unknown())]),
        id: v.optional(v.string()),
      }),
    ),
  ),
  reasoning: v.optional(v.string()),
  usage: v.optional(v.partial(FakeUsageSchema)),
  finishReason: v.optional(v.picklist(FINISH_REASONS)),
  /** Answer with this HTTP error instead; without `body` the provider's own error shape for the status is used. */
  error: v.optional(
    v.strictObject({
      status: v.pipe(v.number(), v.integer(), v.minValue(400), v.maxValue(599)),
      body: v.optional(v.unknown()),
      message: v.optional(v.string()),
      headers: v.optional(v.record(v.string(), v.string())),
    }),
  ),
  /**
   * Streams only: after this many chunks, send the provider's in-stream error event (OpenAI error chunk, Anthropic
   * `event: error`, Gemini error object, Bedrock exception frame) and end the stream.
   */
  midStreamError: v.optional(
    v.strictObject({
      afterChunks: NonNegativeInt,
      status: v.optional(v.pipe(v.number(), v.integer(), v.minValue(400), v.maxValue(599))),
      message: v.optional(v.string()),
    }),
  ),
  /**
   * Write this many stream chunks (SSE events / event-stream frames), then drop the connection without ending the
   * stream. A non-streaming response announces its full length, sends half its body and drops.
   */
  dieMidStreamAfterChunks: v.optional(NonNegativeInt),
  /** Pause between consecutive stream chunks (a non-streaming response waits this long before its body). */
  delayMs: v.optional(NonNegativeInt),
  /** Pause before the status line and headers are written. */
  firstByteDelayMs: v.optional(NonNegativeInt),
  /** Streams only: after this many chunks, go silent for `ms` (a stalled upstream), then carry on. */
  stallMidStream: v.optional(v.strictObject({ afterChunks: NonNegativeInt, ms: NonNegativeInt })),
  /** Drop the connection without answering at all (the client sees a reset / "other side closed"). */
  resetConnection: v.optional(v.literal(true)),
});
export type FakeScript = v.InferInput<typeof FakeScriptSchema>;
export type ParsedFakeScript = v.InferOutput<typeof FakeScriptSchema>;
export type FinishReason = (typeof FINISH_REASONS)[number];
