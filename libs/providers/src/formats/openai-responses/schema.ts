/** OpenAI Responses API wire shapes: validated requests, lenient responses and stream events. */
import * as v from "valibot";
import { discriminated, stringOrArray } from "../../validation.js";

const nonEmpty = v.pipe(v.string(), v.minLength(1, "must not be empty"));

const InputPart = v.variant("type", [
  v.looseObject({ type: v.literal("input_text"), text: v.string() }),
  v.looseObject({ type: v.literal("output_text"), text: v.string() }),
  v.looseObject({ type: v.literal("refusal"), refusal: v.string() }),
  v.looseObject({
    type: v.literal("input_image"),
    image_url: v.nullish(v.string()),
    file_id: v.nullish(v.string()),
    detail: v.nullish(v.picklist(["auto", "low", "high"])),
  }),
  v.looseObject({
    type: v.literal("input_file"),
    file_data: v.nullish(v.string()),
    file_url: v.nullish(v.string()),
    file_id: v.nullish(v.string()),
    filename: v.nullish(v.string()),
  }),
]);
export type ResponsesInputPart = v.InferOutput<typeof InputPart>;

const MessageItem = v.looseObject({
  type: v.optional(v.literal("message")),
  role: v.picklist(["user", "assistant", "system", "developer"]),
  content: stringOrArray(InputPart),
});
const FunctionCallItem = v.looseObject({
  type: v.literal("function_call"),
  call_id: v.string(),
  name: v.string(),
  arguments: v.string(),
});
const FunctionCallOutputItem = v.looseObject({
  type: v.literal("function_call_output"),
  call_id: v.string(),
  output: stringOrArray(InputPart),
});
const ReasoningItem = v.looseObject({
  type: v.literal("reasoning"),
  summary: v.optional(v.array(v.looseObject({ type: v.string(), text: v.string() }))),
  encrypted_content: v.nullish(v.string()),
});
const OtherItem = v.looseObject({ type: v.string() });

export const ResponsesItemSchema = discriminated(
  "type",
  {
    message: MessageItem,
    function_call: FunctionCallItem,
    function_call_output: FunctionCallOutputItem,
    reasoning: ReasoningItem,
  },
  OtherItem,
  "message",
);
export type ResponsesItem = v.InferOutput<typeof ResponsesItemSchema>;

const FunctionTool = v.looseObject({
  type: v.literal("function"),
  name: nonEmpty,
  description: v.nullish(v.string()),
  parameters: v.nullish(v.record(v.string(), v.unknown())),
  strict: v.nullish(v.boolean()),
});
const OtherTool = v.looseObject({ type: v.string() });

const TextFormat = v.variant("type", [
  v.looseObject({ type: v.literal("text") }),
  v.looseObject({ type: v.literal("json_object") }),
  v.looseObject({
    type: v.literal("json_schema"),
    name: v.string(),
    schema: v.record(v.string(), v.unknown()),
    strict: v.nullish(v.boolean()),
    description: v.nullish(v.string()),
  }),
]);

export const ResponsesRequestSchema = v.looseObject({
  model: nonEmpty,
  input: stringOrArray(ResponsesItemSchema),
  instructions: v.nullish(v.string()),
  tools: v.nullish(v.array(discriminated("type", { function: FunctionTool }, OtherTool))),
  tool_choice: v.nullish(
    v.union([
      v.picklist(["none", "auto", "required"]),
      v.looseObject({ type: v.literal("function"), name: v.string() }),
      v.looseObject({ type: v.string() }),
    ]),
  ),
  parallel_tool_calls: v.nullish(v.boolean()),
  text: v.nullish(v.looseObject({ format: v.nullish(TextFormat) })),
  reasoning: v.nullish(
    v.looseObject({
      effort: v.nullish(v.picklist(["none", "minimal", "low", "medium", "high", "xhigh"])),
      summary: v.nullish(v.string()),
    }),
  ),
  max_output_tokens: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(1))),
  temperature: v.nullish(v.number()),
  top_p: v.nullish(v.number()),
  stream: v.nullish(v.boolean()),
  user: v.nullish(v.string()),
  metadata: v.nullish(v.record(v.string(), v.string())),
});
export type ResponsesRequest = v.InferOutput<typeof ResponsesRequestSchema>;

export const ResponsesUsageSchema = v.looseObject({
  input_tokens: v.nullish(v.number()),
  output_tokens: v.nullish(v.number()),
  input_tokens_details: v.nullish(v.looseObject({ cached_tokens: v.nullish(v.number()) })),
  output_tokens_details: v.nullish(v.looseObject({ reasoning_tokens: v.nullish(v.number()) })),
});
export type ResponsesUsage = v.InferOutput<typeof ResponsesUsageSchema>;

export const ResponsesResponseSchema = v.looseObject({
  id: v.nullish(v.string()),
  model: v.nullish(v.string()),
  status: v.nullish(v.string()),
  incomplete_details: v.nullish(v.looseObject({ reason: v.nullish(v.string()) })),
  output: v.array(v.looseObject({ type: v.string() })),
  usage: v.nullish(ResponsesUsageSchema),
});
export type ResponsesResponse = v.InferOutput<typeof ResponsesResponseSchema>;

const StreamEventSchema = v.looseObject({
  type: v.string(),
  output_index: v.optional(v.number()),
  content_index: v.optional(v.number()),
  item_id: v.optional(v.string()),
  delta: v.optional(v.string()),
  item: v.optional(
    v.looseObject({
      type: v.string(),
      id: v.optional(v.string()),
      call_id: v.optional(v.string()),
      name: v.optional(v.string()),
      encrypted_content: v.nullish(v.string()),
    }),
  ),
  response: v.optional(ResponsesResponseSchema),
  message: v.optional(v.string()),
  code: v.nullish(v.string()),
});
/** Stream events are read without validation (hot path); this type documents what the decoder may find. */
export type ResponsesStreamEvent = v.InferOutput<typeof StreamEventSchema>;
