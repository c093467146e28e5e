/** AWS Bedrock Converse / ConverseStream JSON shapes (the event-stream framing is decoded elsewhere). */
import * as v from "valibot";

const Source = v.looseObject({ bytes: v.optional(v.string()), s3Location: v.optional(v.looseObject({ uri: v.string() })) });
const ToolResultItem = v.looseObject({
  text: v.optional(v.string()),
  json: v.optional(v.unknown()),
  image: v.optional(v.looseObject({ format: v.string(), source: Source })),
});

export const BedrockBlockSchema = v.looseObject({
  text: v.optional(v.string()),
  image: v.optional(v.looseObject({ format: v.string(), source: Source })),
  document: v.optional(v.looseObject({ format: v.string(), name: v.optional(v.string()), source: Source })),
  toolUse: v.optional(v.looseObject({ toolUseId: v.string(), name: v.string(), input: v.optional(v.unknown()) })),
  toolResult: v.optional(
    v.looseObject({ toolUseId: v.string(), content: v.optional(v.array(ToolResultItem)), status: v.optional(v.string()) }),
  ),
  reasoningContent: v.optional(
    v.looseObject({
      reasoningText: v.optional(v.looseObject({ text: v.string(), signature: v.optional(v.string()) })),
      redactedContent: v.optional(v.string()),
    }),
  ),
  cachePoint: v.optional(v.looseObject({ type: v.string() })),
});
export type BedrockBlock = v.InferOutput<typeof BedrockBlockSchema>;

export const BedrockRequestSchema = v.looseObject({
  messages: v.array(v.looseObject({ role: v.picklist(["user", "assistant"]), content: v.array(BedrockBlockSchema) })),
  system: v.optional(v.array(v.looseObject({ text: v.optional(v.string()), cachePoint: v.optional(v.unknown()) }))),
  inferenceConfig: v.optional(
    v.looseObject({
      maxTokens: v.optional(v.number()),
      temperature: v.optional(v.number()),
      topP: v.optional(v.number()),
      stopSequences: v.optional(v.array(v.string())),
    }),
  ),
  toolConfig: v.optional(
    v.looseObject({
      tools: v.array(
        v.looseObject({
          toolSpec: v.optional(
            v.looseObject({
              name: v.string(),
              description: v.optional(v.string()),
              inputSchema: v.looseObject({ json: v.record(v.string(), v.unknown()) }),
              strict: v.optional(v.boolean()),
            }),
          ),
          cachePoint: v.optional(v.unknown()),
        }),
      ),
      toolChoice: v.optional(
        v.looseObject({
          auto: v.optional(v.unknown()),
          any: v.optional(v.unknown()),
          tool: v.optional(v.looseObject({ name: v.string() })),
        }),
      ),
    }),
  ),
  additionalModelRequestFields: v.optional(v.record(v.string(), v.unknown())),
  outputConfig: v.optional(
    v.looseObject({
      textFormat: v.optional(
        v.looseObject({
          type: v.string(),
          structure: v.looseObject({
            jsonSchema: v.looseObject({ schema: v.string(), name: v.optional(v.string()), description: v.optional(v.string()) }),
          }),
        }),
      ),
    }),
  ),
  requestMetadata: v.optional(v.record(v.string(), v.string())),
});
export type BedrockRequest = v.InferOutput<typeof BedrockRequestSchema>;

export const BedrockUsageSchema = v.looseObject({
  inputTokens: v.nullish(v.number()),
  outputTokens: v.nullish(v.number()),
  totalTokens: v.nullish(v.number()),
  cacheReadInputTokens: v.nullish(v.number()),
  cacheWriteInputTokens: v.nullish(v.number()),
});
export type BedrockUsage = v.InferOutput<typeof BedrockUsageSchema>;

export const BedrockResponseSchema = v.looseObject({
  output: v.looseObject({ message: v.nullish(v.looseObject({ content: v.array(BedrockBlockSchema) })) }),
  stopReason: v.nullish(v.string()),
  usage: v.nullish(BedrockUsageSchema),
});

/** One decoded ConverseStream event: `eventType` is the frame's `:event-type` (or exception type) header. */
export interface BedrockStreamEvent {
  eventType: string;
  payload: unknown;
}

const StreamPayloadSchema = v.looseObject({
  contentBlockIndex: v.optional(v.number()),
  start: v.optional(v.looseObject({ toolUse: v.optional(v.looseObject({ toolUseId: v.string(), name: v.string() })) })),
  delta: v.optional(
    v.looseObject({
      text: v.optional(v.string()),
      toolUse: v.optional(v.looseObject({ input: v.string() })),
      reasoningContent: v.optional(
        v.looseObject({
          text: v.optional(v.string()),
          signature: v.optional(v.string()),
          redactedContent: v.optional(v.string()),
        }),
      ),
    }),
  ),
  stopReason: v.optional(v.string()),
  usage: v.optional(BedrockUsageSchema),
  message: v.optional(v.string()),
});
/** Stream payloads are read without validation (hot path); this type documents what the decoder may find. */
export type BedrockStreamPayload = v.InferOutput<typeof StreamPayloadSchema>;
