/**
 * OpenAI Chat Completions wire shapes. The request schema validates inbound bodies (unknown extras pass through);
 * response and chunk schemas are lenient, since upstreams differ in which optional fields they fill.
 */
import * as v from "valibot";
import { discriminated, stringOrArray } from "../../validation.js";
import { ThinkingBlocksSchema } from "./thinking-blocks.js";

const nonEmpty = v.pipe(v.string(), v.minLength(1, "must not be empty"));
const num = v.nullish(v.number());

const TextPart = v.looseObject({ type: v.literal("text"), text: v.string() });
const ImageUrlPart = v.looseObject({
  type: v.literal("image_url"),
  image_url: v.looseObject({ url: v.string(), detail: v.optional(v.picklist(["auto", "low", "high"])) }),
});
const InputAudioPart = v.looseObject({
  type: v.literal("input_audio"),
  input_audio: v.looseObject({ data: v.string(), format: v.string() }),
});
const FilePart = v.looseObject({
  type: v.literal("file"),
  file: v.looseObject({ file_data: v.optional(v.string()), file_id: v.optional(v.string()), filename: v.optional(v.string()) }),
});
const RefusalPart = v.looseObject({ type: v.literal("refusal"), refusal: v.string() });

export const OpenAiUserPartSchema = v.variant("type", [TextPart, ImageUrlPart, InputAudioPart, FilePart]);
export type OpenAiUserPart = v.InferOutput<typeof OpenAiUserPartSchema>;

const ToolCall = v.looseObject({
  id: v.string(),
  type: v.optional(v.literal("function")),
  function: v.looseObject({ name: v.string(), arguments: v.string() }),
  /** Gemini's OpenAI-compatible API carries thought signatures here. */
  extra_content: v.optional(v.looseObject({ google: v.optional(v.looseObject({ thought_signature: v.optional(v.string()) })) })),
});
export type OpenAiToolCall = v.InferOutput<typeof ToolCall>;

const textContent = stringOrArray(TextPart);

export const OpenAiMessageSchema = v.variant("role", [
  v.looseObject({ role: v.picklist(["system", "developer"]), content: textContent, name: v.optional(v.string()) }),
  v.looseObject({
    role: v.literal("user"),
    content: stringOrArray(OpenAiUserPartSchema),
    name: v.optional(v.string()),
  }),
  v.looseObject({
    role: v.literal("assistant"),
    content: v.nullish(stringOrArray(v.variant("type", [TextPart, RefusalPart]))),
    tool_calls: v.nullish(v.array(ToolCall)),
    function_call: v.nullish(v.looseObject({ name: v.string(), arguments: v.string() })),
    refusal: v.nullish(v.string()),
    reasoning_content: v.nullish(v.string()),
    /** Signed reasoning handed out by the gateway (thinking-blocks.ts). */
    thinking_blocks: v.nullish(ThinkingBlocksSchema),
  }),
  v.looseObject({ role: v.literal("tool"), tool_call_id: v.string(), content: textContent }),
  v.looseObject({ role: v.literal("function"), name: v.string(), content: v.nullish(v.string()) }),
]);
export type OpenAiMessage = v.InferOutput<typeof OpenAiMessageSchema>;

const FunctionDef = v.looseObject({
  name: nonEmpty,
  description: v.optional(v.string()),
  parameters: v.optional(v.record(v.string(), v.unknown())),
  strict: v.nullish(v.boolean()),
});

export const OpenAiToolSchema = discriminated(
  "type",
  { function: v.looseObject({ type: v.literal("function"), function: FunctionDef }) },
  v.looseObject({ type: v.string() }),
);

export const OpenAiToolChoiceSchema = v.union([
  v.picklist(["none", "auto", "required"]),
  v.looseObject({ type: v.literal("function"), function: v.looseObject({ name: v.string() }) }),
  v.looseObject({ type: v.string() }),
]);

export const OpenAiResponseFormatSchema = v.variant("type", [
  v.looseObject({ type: v.literal("text") }),
  v.looseObject({ type: v.literal("json_object") }),
  v.looseObject({
    type: v.literal("json_schema"),
    json_schema: v.looseObject({
      name: v.string(),
      schema: v.optional(v.record(v.string(), v.unknown())),
      strict: v.nullish(v.boolean()),
      description: v.optional(v.string()),
    }),
  }),
]);

export const OpenAiChatRequestSchema = v.looseObject({
  model: nonEmpty,
  messages: v.pipe(v.array(OpenAiMessageSchema), v.minLength(1, "must contain at least one message")),
  tools: v.nullish(v.array(OpenAiToolSchema)),
  tool_choice: v.nullish(OpenAiToolChoiceSchema),
  parallel_tool_calls: v.nullish(v.boolean()),
  functions: v.nullish(v.array(FunctionDef)),
  function_call: v.nullish(v.union([v.picklist(["none", "auto"]), v.looseObject({ name: v.string() })])),
  max_tokens: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(1))),
  max_completion_tokens: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(1))),
  temperature: num,
  top_p: num,
  frequency_penalty: num,
  presence_penalty: num,
  seed: v.nullish(v.pipe(v.number(), v.integer())),
  stop: v.nullish(v.union([v.string(), v.array(v.string())])),
  response_format: v.nullish(OpenAiResponseFormatSchema),
  reasoning_effort: v.nullish(v.picklist(["none", "minimal", "low", "medium", "high", "xhigh"])),
  stream: v.nullish(v.boolean()),
  stream_options: v.nullish(v.looseObject({ include_usage: v.nullish(v.boolean()) })),
  user: v.nullish(v.string()),
  metadata: v.nullish(v.record(v.string(), v.string())),
});
export type OpenAiChatRequest = v.InferOutput<typeof OpenAiChatRequestSchema>;

export const OpenAiUsageSchema = v.looseObject({
  prompt_tokens: v.nullish(v.number()),
  completion_tokens: v.nullish(v.number()),
  total_tokens: v.nullish(v.number()),
  prompt_tokens_details: v.nullish(v.looseObject({ cached_tokens: v.nullish(v.number()) })),
  completion_tokens_details: v.nullish(v.looseObject({ reasoning_tokens: v.nullish(v.number()) })),
});
export type OpenAiUsage = v.InferOutput<typeof OpenAiUsageSchema>;

export const OpenAiChatResponseSchema = v.looseObject({
  id: v.nullish(v.string()),
  model: v.nullish(v.string()),
  choices: v.array(
    v.looseObject({
      index: v.nullish(v.number()),
      message: v.looseObject({
        content: v.nullish(v.union([v.string(), v.array(v.looseObject({ type: v.string(), text: v.optional(v.string()) }))])),
        tool_calls: v.nullish(v.array(ToolCall)),
        refusal: v.nullish(v.string()),
        reasoning_content: v.nullish(v.string()),
        reasoning: v.nullish(v.string()),
      }),
      finish_reason: v.nullish(v.string()),
    }),
  ),
  usage: v.nullish(OpenAiUsageSchema),
});
export type OpenAiChatResponse = v.InferOutput<typeof OpenAiChatResponseSchema>;

const ChunkSchema = v.looseObject({
  id: v.nullish(v.string()),
  model: v.nullish(v.string()),
  choices: v.nullish(
    v.array(
      v.looseObject({
        index: v.nullish(v.number()),
        delta: v.nullish(
          v.looseObject({
            content: v.nullish(v.string()),
            reasoning_content: v.nullish(v.string()),
            reasoning: v.nullish(v.string()),
            refusal: v.nullish(v.string()),
            tool_calls: v.nullish(
              v.array(
                v.looseObject({
                  index: v.nullish(v.number()),
                  id: v.nullish(v.string()),
                  function: v.nullish(v.looseObject({ name: v.nullish(v.string()), arguments: v.nullish(v.string()) })),
                  extra_content: v.nullish(
                    v.looseObject({ google: v.nullish(v.looseObject({ thought_signature: v.nullish(v.string()) })) }),
                  ),
                }),
              ),
            ),
          }),
        ),
        finish_reason: v.nullish(v.string()),
      }),
    ),
  ),
  usage: v.nullish(OpenAiUsageSchema),
  error: v.nullish(v.looseObject({ message: v.nullish(v.string()), type: v.nullish(v.string()), code: v.nullish(v.unknown()) })),
});
/** Stream chunks are read without validation (hot path); this type documents what the decoder may find. */
export type OpenAiChatChunk = v.InferOutput<typeof ChunkSchema>;
