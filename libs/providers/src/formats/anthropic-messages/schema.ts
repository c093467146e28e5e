/** Anthropic Messages wire shapes: validated requests, lenient responses and stream events. */
import * as v from "valibot";
import { discriminated, stringOrArray } from "../../validation.js";

const nonEmpty = v.pipe(v.string(), v.minLength(1, "must not be empty"));
const CacheControl = v.nullish(v.looseObject({ type: v.literal("ephemeral"), ttl: v.optional(v.string()) }));

const TextBlock = v.looseObject({ type: v.literal("text"), text: v.string(), cache_control: CacheControl });
const MediaSource = v.variant("type", [
  v.looseObject({ type: v.literal("base64"), media_type: v.string(), data: v.string() }),
  v.looseObject({ type: v.literal("url"), url: v.string() }),
  v.looseObject({ type: v.literal("text"), media_type: v.optional(v.string()), data: v.string() }),
  v.looseObject({ type: v.literal("file"), file_id: v.string() }),
  v.looseObject({ type: v.literal("content"), content: v.unknown() }),
]);
const ImageBlock = v.looseObject({ type: v.literal("image"), source: MediaSource, cache_control: CacheControl });
const DocumentBlock = v.looseObject({
  type: v.literal("document"),
  source: MediaSource,
  title: v.nullish(v.string()),
  cache_control: CacheControl,
});
const ToolUseBlock = v.looseObject({
  type: v.literal("tool_use"),
  id: v.string(),
  name: v.string(),
  input: v.record(v.string(), v.unknown()),
  cache_control: CacheControl,
});
const ToolResultBlock = v.looseObject({
  type: v.literal("tool_result"),
  tool_use_id: v.string(),
  content: v.optional(stringOrArray(v.variant("type", [TextBlock, ImageBlock, DocumentBlock]))),
  is_error: v.nullish(v.boolean()),
  cache_control: CacheControl,
});
const ThinkingBlock = v.looseObject({ type: v.literal("thinking"), thinking: v.string(), signature: v.optional(v.string()) });
const RedactedThinkingBlock = v.looseObject({ type: v.literal("redacted_thinking"), data: v.string() });

/** Server-tool blocks and other newer block types: kept verbatim for Anthropic, judged by unmappable.ts elsewhere. */
const OtherBlock = v.looseObject({ type: v.string() });

export const AnthropicBlockSchema = discriminated(
  "type",
  {
    text: TextBlock,
    image: ImageBlock,
    document: DocumentBlock,
    tool_use: ToolUseBlock,
    tool_result: ToolResultBlock,
    thinking: ThinkingBlock,
    redacted_thinking: RedactedThinkingBlock,
  },
  OtherBlock,
);
export type AnthropicBlock = v.InferOutput<typeof AnthropicBlockSchema>;
export type AnthropicMediaSource = v.InferOutput<typeof MediaSource>;

const CustomTool = v.looseObject({
  type: v.optional(v.literal("custom")),
  name: nonEmpty,
  description: v.optional(v.string()),
  input_schema: v.record(v.string(), v.unknown()),
  cache_control: CacheControl,
  strict: v.optional(v.boolean()),
});
const ServerTool = v.looseObject({ type: v.string() });

const disableParallel = v.nullish(v.boolean());
const ToolChoice = v.variant("type", [
  v.looseObject({ type: v.literal("auto"), disable_parallel_tool_use: disableParallel }),
  v.looseObject({ type: v.literal("any"), disable_parallel_tool_use: disableParallel }),
  v.looseObject({ type: v.literal("tool"), name: v.string(), disable_parallel_tool_use: disableParallel }),
  v.looseObject({ type: v.literal("none") }),
]);

const Thinking = v.variant("type", [
  v.looseObject({ type: v.literal("enabled"), budget_tokens: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
  v.looseObject({ type: v.literal("disabled") }),
  v.looseObject({ type: v.literal("adaptive") }),
]);

const JsonSchemaFormat = v.looseObject({ type: v.literal("json_schema"), schema: v.record(v.string(), v.unknown()) });

export const AnthropicRequestSchema = v.looseObject({
  model: nonEmpty,
  max_tokens: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  // `system` turns inside messages: what Claude Code 2.1 sends for per-turn instructions (the mid-conversation betas).
  messages: v.array(
    v.looseObject({ role: v.picklist(["user", "assistant", "system"]), content: stringOrArray(AnthropicBlockSchema) }),
  ),
  system: v.optional(stringOrArray(TextBlock)),
  tools: v.optional(v.array(discriminated("type", { custom: CustomTool }, ServerTool, "custom"))),
  tool_choice: v.optional(ToolChoice),
  stop_sequences: v.optional(v.array(v.string())),
  temperature: v.optional(v.number()),
  top_p: v.optional(v.number()),
  top_k: v.optional(v.number()),
  stream: v.optional(v.boolean()),
  metadata: v.optional(v.looseObject({ user_id: v.nullish(v.string()) })),
  thinking: v.optional(Thinking),
  output_config: v.optional(
    v.looseObject({
      effort: v.optional(v.picklist(["low", "medium", "high", "xhigh", "max"])),
      format: v.nullish(JsonSchemaFormat),
    }),
  ),
  /** The beta name of output_config.format, still sent by older clients. */
  output_format: v.optional(JsonSchemaFormat),
});
export type AnthropicRequest = v.InferOutput<typeof AnthropicRequestSchema>;

export const AnthropicUsageSchema = v.looseObject({
  input_tokens: v.nullish(v.number()),
  output_tokens: v.nullish(v.number()),
  cache_creation_input_tokens: v.nullish(v.number()),
  cache_read_input_tokens: v.nullish(v.number()),
});
export type AnthropicUsage = v.InferOutput<typeof AnthropicUsageSchema>;

export const AnthropicResponseSchema = v.looseObject({
  id: v.nullish(v.string()),
  model: v.nullish(v.string()),
  content: v.array(v.looseObject({ type: v.string() })),
  stop_reason: v.nullish(v.string()),
  stop_sequence: v.nullish(v.string()),
  usage: v.nullish(AnthropicUsageSchema),
});

const StreamEventSchema = v.looseObject({
  type: v.string(),
  index: v.optional(v.number()),
  message: v.optional(
    v.looseObject({ id: v.nullish(v.string()), model: v.nullish(v.string()), usage: v.nullish(AnthropicUsageSchema) }),
  ),
  content_block: v.optional(
    v.looseObject({
      type: v.string(),
      text: v.optional(v.string()),
      thinking: v.optional(v.string()),
      signature: v.optional(v.string()),
      data: v.optional(v.string()),
      id: v.optional(v.string()),
      name: v.optional(v.string()),
      input: v.optional(v.unknown()),
    }),
  ),
  delta: v.optional(
    v.looseObject({
      type: v.optional(v.string()),
      text: v.optional(v.string()),
      partial_json: v.optional(v.string()),
      thinking: v.optional(v.string()),
      signature: v.optional(v.string()),
      stop_reason: v.nullish(v.string()),
      stop_sequence: v.nullish(v.string()),
    }),
  ),
  usage: v.nullish(AnthropicUsageSchema),
  error: v.optional(v.looseObject({ type: v.optional(v.string()), message: v.optional(v.string()) })),
});
/** Stream events are read without validation (hot path); this type documents what the decoder may find. */
export type AnthropicStreamEvent = v.InferOutput<typeof StreamEventSchema>;
