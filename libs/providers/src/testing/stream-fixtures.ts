/**
 * One streamed reply per format, written as each API sends it (test fixtures): reasoning in two fragments, text in
 * two fragments, two parallel calls of one tool whose arguments arrive in many fragments, finish on tool use and
 * the usage of response-fixtures.ts. The OpenAI stream interleaves the two calls' fragments, as some
 * OpenAI-compatible servers do.
 */
import type { BedrockStreamEvent } from "../formats/bedrock-converse/schema.js";

const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "chatcmpl-7", object: "chat.completion.chunk", created: 1741569952, model: "gpt-4o-2024-08-06", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null })}\n\n`;
const call = (index: number, args: string, head?: { id: string }) => ({
  tool_calls: [
    head
      ? { index, id: head.id, type: "function", function: { name: "get_weather", arguments: args } }
      : { index, function: { arguments: args } },
  ],
});

export const OPENAI_CHAT_STREAM = [
  chunk({ role: "assistant", content: "", refusal: null }),
  chunk({ reasoning_content: "Need the " }),
  chunk({ reasoning_content: "weather." }),
  chunk({ content: "Checking " }),
  chunk({ content: "both." }),
  chunk(call(0, "", { id: "call_a" })),
  chunk(call(0, '{"ci')),
  chunk(call(1, "", { id: "call_b" })),
  chunk(call(1, '{"city":')),
  chunk(call(0, 'ty":"Pa')),
  chunk(call(1, '"Tok')),
  chunk(call(0, 'ris"}')),
  chunk(call(1, 'yo"}')),
  chunk({}, "tool_calls"),
  `data: ${JSON.stringify({
    id: "chatcmpl-7",
    object: "chat.completion.chunk",
    created: 1741569952,
    model: "gpt-4o-2024-08-06",
    choices: [],
    usage: {
      prompt_tokens: 120,
      completion_tokens: 40,
      total_tokens: 160,
      prompt_tokens_details: { cached_tokens: 100 },
      completion_tokens_details: { reasoning_tokens: 12 },
    },
  })}\n\n`,
  "data: [DONE]\n\n",
].join("");

const anthropic = (event: string, data: object) => `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;
const json = (index: number, partial: string) =>
  anthropic("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: partial } });

export const ANTHROPIC_STREAM = [
  anthropic("message_start", {
    message: {
      id: "msg_01XFDUDYJgAACzvnptvVoYEL",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 1 },
    },
  }),
  anthropic("content_block_start", { index: 0, content_block: { type: "thinking", thinking: "", signature: "" } }),
  'event: ping\ndata: {"type": "ping"}\n\n',
  anthropic("content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking: "Need the " } }),
  anthropic("content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking: "weather." } }),
  anthropic("content_block_delta", { index: 0, delta: { type: "signature_delta", signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3h" } }),
  anthropic("content_block_stop", { index: 0 }),
  anthropic("content_block_start", { index: 1, content_block: { type: "text", text: "" } }),
  anthropic("content_block_delta", { index: 1, delta: { type: "text_delta", text: "Checking " } }),
  anthropic("content_block_delta", { index: 1, delta: { type: "text_delta", text: "both." } }),
  anthropic("content_block_stop", { index: 1 }),
  anthropic("content_block_start", {
    index: 2,
    content_block: { type: "tool_use", id: "call_a", name: "get_weather", input: {} },
  }),
  json(2, ""),
  json(2, '{"ci'),
  json(2, 'ty":"Pa'),
  json(2, 'ris"}'),
  anthropic("content_block_stop", { index: 2 }),
  anthropic("content_block_start", {
    index: 3,
    content_block: { type: "tool_use", id: "call_b", name: "get_weather", input: {} },
  }),
  json(3, '{"city":'),
  json(3, '"Tok'),
  json(3, 'yo"}'),
  anthropic("content_block_stop", { index: 3 }),
  anthropic("message_delta", { delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 40 } }),
  anthropic("message_stop", {}),
].join("");

const gemini = (parts: object[], extra: object = {}) =>
  `data: ${JSON.stringify({
    candidates: [{ content: { parts, role: "model" }, index: 0, ...extra }],
    usageMetadata: { promptTokenCount: 120, totalTokenCount: 120, cachedContentTokenCount: 100 },
    modelVersion: "gemini-2.5-pro",
    responseId: "mKzKaMTqF4-b1dkP9rS5yQ4",
  })}\r\n\r\n`;

export const GEMINI_STREAM = [
  gemini([{ text: "Need the ", thought: true }]),
  gemini([{ text: "weather.", thought: true }]),
  gemini([{ text: "Checking " }]),
  gemini([{ text: "both." }]),
  `data: ${JSON.stringify({
    candidates: [
      {
        content: {
          parts: [
            { functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "CiQB0e2Kb7Hx" },
            { functionCall: { name: "get_weather", args: { city: "Tokyo" } } },
          ],
          role: "model",
        },
        finishReason: "STOP",
        index: 0,
      },
    ],
    usageMetadata: {
      promptTokenCount: 120,
      candidatesTokenCount: 28,
      totalTokenCount: 160,
      cachedContentTokenCount: 100,
      thoughtsTokenCount: 12,
    },
    modelVersion: "gemini-2.5-pro",
    responseId: "mKzKaMTqF4-b1dkP9rS5yQ4",
  })}\r\n\r\n`,
].join("");

const delta = (contentBlockIndex: number, value: object): BedrockStreamEvent => ({
  eventType: "contentBlockDelta",
  payload: { contentBlockIndex, delta: value, p: "abcd" },
});

export const BEDROCK_STREAM: BedrockStreamEvent[] = [
  { eventType: "messageStart", payload: { role: "assistant" } },
  delta(0, { reasoningContent: { text: "Need the " } }),
  delta(0, { reasoningContent: { text: "weather." } }),
  delta(0, { reasoningContent: { signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3h" } }),
  { eventType: "contentBlockStop", payload: { contentBlockIndex: 0 } },
  delta(1, { text: "Checking " }),
  delta(1, { text: "both." }),
  { eventType: "contentBlockStop", payload: { contentBlockIndex: 1 } },
  {
    eventType: "contentBlockStart",
    payload: { contentBlockIndex: 2, start: { toolUse: { toolUseId: "call_a", name: "get_weather" } } },
  },
  delta(2, { toolUse: { input: '{"ci' } }),
  delta(2, { toolUse: { input: 'ty":"Pa' } }),
  delta(2, { toolUse: { input: 'ris"}' } }),
  { eventType: "contentBlockStop", payload: { contentBlockIndex: 2 } },
  {
    eventType: "contentBlockStart",
    payload: { contentBlockIndex: 3, start: { toolUse: { toolUseId: "call_b", name: "get_weather" } } },
  },
  delta(3, { toolUse: { input: '{"city":' } }),
  delta(3, { toolUse: { input: '"Tok' } }),
  delta(3, { toolUse: { input: 'yo"}' } }),
  { eventType: "contentBlockStop", payload: { contentBlockIndex: 3 } },
  { eventType: "messageStop", payload: { stopReason: "tool_use" } },
  {
    eventType: "metadata",
    payload: {
      usage: { inputTokens: 20, outputTokens: 40, totalTokens: 160, cacheReadInputTokens: 100, cacheWriteInputTokens: 0 },
      metrics: { latencyMs: 1843 },
    },
  },
];

let sequence = 0;
const responses = (type: string, data: object) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: sequence++ })}\n\n`;
const response = (status: string, output: object[], usage: object | null) => ({
  id: "resp_67cc",
  object: "response",
  created_at: 1741476777,
  status,
  model: "gpt-5-2025-08-07",
  output,
  usage,
});
const reasoningItem = { id: "rs_1", type: "reasoning", summary: [{ type: "summary_text", text: "Need the weather." }] };
const messageItem = {
  id: "msg_1",
  type: "message",
  status: "completed",
  role: "assistant",
  content: [{ type: "output_text", text: "Checking both.", annotations: [] }],
};
const fc = (id: string, callId: string, args: string, status: string) => ({
  id,
  type: "function_call",
  status,
  arguments: args,
  call_id: callId,
  name: "get_weather",
});

export const RESPONSES_STREAM = [
  responses("response.created", { response: response("in_progress", [], null) }),
  responses("response.in_progress", { response: response("in_progress", [], null) }),
  responses("response.output_item.added", { output_index: 0, item: { id: "rs_1", type: "reasoning", summary: [] } }),
  responses("response.reasoning_summary_part.added", {
    item_id: "rs_1",
    output_index: 0,
    summary_index: 0,
    part: { type: "summary_text", text: "" },
  }),
  responses("response.reasoning_summary_text.delta", { item_id: "rs_1", output_index: 0, summary_index: 0, delta: "Need the " }),
  responses("response.reasoning_summary_text.delta", { item_id: "rs_1", output_index: 0, summary_index: 0, delta: "weather." }),
  responses("response.reasoning_summary_text.done", {
    item_id: "rs_1",
    output_index: 0,
    summary_index: 0,
    text: "Need the weather.",
  }),
  responses("response.reasoning_summary_part.done", {
    item_id: "rs_1",
    output_index: 0,
    summary_index: 0,
    part: { type: "summary_text", text: "Need the weather." },
  }),
  responses("response.output_item.done", { output_index: 0, item: reasoningItem }),
  responses("response.output_item.added", {
    output_index: 1,
    item: { id: "msg_1", type: "message", status: "in_progress", role: "assistant", content: [] },
  }),
  responses("response.content_part.added", {
    item_id: "msg_1",
    output_index: 1,
    content_index: 0,
    part: { type: "output_text", text: "", annotations: [] },
  }),
  responses("response.output_text.delta", { item_id: "msg_1", output_index: 1, content_index: 0, delta: "Checking " }),
  responses("response.output_text.delta", { item_id: "msg_1", output_index: 1, content_index: 0, delta: "both." }),
  responses("response.output_text.done", { item_id: "msg_1", output_index: 1, content_index: 0, text: "Checking both." }),
  responses("response.content_part.done", {
    item_id: "msg_1",
    output_index: 1,
    content_index: 0,
    part: { type: "output_text", text: "Checking both.", annotations: [] },
  }),
  responses("response.output_item.done", { output_index: 1, item: messageItem }),
  responses("response.output_item.added", { output_index: 2, item: fc("fc_1", "call_a", "", "in_progress") }),
  responses("response.function_call_arguments.delta", { item_id: "fc_1", output_index: 2, delta: '{"ci' }),
  responses("response.function_call_arguments.delta", { item_id: "fc_1", output_index: 2, delta: 'ty":"Pa' }),
  responses("response.function_call_arguments.delta", { item_id: "fc_1", output_index: 2, delta: 'ris"}' }),
  responses("response.function_call_arguments.done", { item_id: "fc_1", output_index: 2, arguments: '{"city":"Paris"}' }),
  responses("response.output_item.done", { output_index: 2, item: fc("fc_1", "call_a", '{"city":"Paris"}', "completed") }),
  responses("response.output_item.added", { output_index: 3, item: fc("fc_2", "call_b", "", "in_progress") }),
  responses("response.function_call_arguments.delta", { item_id: "fc_2", output_index: 3, delta: '{"city":' }),
  responses("response.function_call_arguments.delta", { item_id: "fc_2", output_index: 3, delta: '"Tok' }),
  responses("response.function_call_arguments.delta", { item_id: "fc_2", output_index: 3, delta: 'yo"}' }),
  responses("response.function_call_arguments.done", { item_id: "fc_2", output_index: 3, arguments: '{"city":"Tokyo"}' }),
  responses("response.output_item.done", { output_index: 3, item: fc("fc_2", "call_b", '{"city":"Tokyo"}', "completed") }),
  responses("response.completed", {
    response: response(
      "completed",
      [
        reasoningItem,
        messageItem,
        fc("fc_1", "call_a", '{"city":"Paris"}', "completed"),
        fc("fc_2", "call_b", '{"city":"Tokyo"}', "completed"),
      ],
      {
        input_tokens: 120,
        input_tokens_details: { cached_tokens: 100 },
        output_tokens: 40,
        output_tokens_details: { reasoning_tokens: 12 },
        total_tokens: 160,
      },
    ),
  }),
].join("");

export const SSE_STREAMS = {
  openai_chat: OPENAI_CHAT_STREAM,
  anthropic_messages: ANTHROPIC_STREAM,
  gemini: GEMINI_STREAM,
  openai_responses: RESPONSES_STREAM,
} as const;
