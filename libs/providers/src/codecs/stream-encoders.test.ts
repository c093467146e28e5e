import { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import { BEDROCK_STREAM, SSE_STREAMS } from "../../test/fixtures/stream-fixtures.js";
import { summarizeStream } from "../../test/support/stream-summary.js";
import type { CanonicalStreamEvent } from "../canonical/stream.js";
import type { CanonicalUsage } from "../canonical/usage.js";
import type { InboundFormat } from "../formats.js";
import { createByteStreamDecoder, createStreamDecoder, createStreamEncoder } from "./stream-codecs.js";

const INBOUND: InboundFormat[] = ["openai_chat", "anthropic_messages", "openai_responses", "gemini"];
const opts = { model: "client-model", requestId: "req_1", created: 1700000000, includeUsage: true };

function sourceEvents(source: keyof typeof SSE_STREAMS | "bedrock_converse"): CanonicalStreamEvent[] {
  if (source === "bedrock_converse") {
    const decoder = createStreamDecoder("bedrock_converse");
    return [...BEDROCK_STREAM.flatMap((event) => decoder.push(event)), ...decoder.end()];
  }
  const decoder = createByteStreamDecoder(source);
  return [...decoder.push(SSE_STREAMS[source]), ...decoder.end()];
}

function encodeAll(format: InboundFormat, events: CanonicalStreamEvent[], extra: object = {}): string {
  const encoder = createStreamEncoder(format, { ...opts, ...extra });
  return events.map((event) => encoder.encode(event)).join("") + encoder.end();
}

function readBack(format: InboundFormat, text: string): CanonicalStreamEvent[] {
  const decoder = createByteStreamDecoder(format);
  return [...decoder.push(text), ...decoder.end()];
}

/** What a client of `format` can see: fields its usage or reasoning shape has no room for are left out. */
function visible(summary: ReturnType<typeof summarizeStream>, format: InboundFormat) {
  const usage = summary.usage ?? { inputTokens: 0, outputTokens: 0 };
  const seen: Partial<CanonicalUsage> = {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.cachedInputTokens ?? 0,
  };
  if (format === "anthropic_messages") seen.cacheWriteInputTokens = usage.cacheWriteInputTokens ?? 0;
  else seen.reasoningTokens = usage.reasoningTokens ?? 0;
  const carriesSignature = format === "anthropic_messages" || format === "openai_responses";
  return { ...summary, usage: seen, signature: carriesSignature ? summary.signature : "" };
}

describe("every upstream stream × every client stream format", () => {
  const sources = ["openai_chat", "anthropic_messages", "gemini", "openai_responses", "bedrock_converse"] as const;
  const pairs = sources.flatMap((source) => INBOUND.map((inbound) => [source, inbound] as const));

  it.each(pairs)("%s upstream → %s client: the client reads back the same reply", (source, inbound) => {
    const events = sourceEvents(source);
    const original = summarizeStream(events);
    const seen = summarizeStream(readBack(inbound, encodeAll(inbound, events)));
    expect(visible(seen, inbound)).toEqual(visible(original, inbound));
    expect(seen.calls.map((call) => call.args)).toEqual(['{"city":"Paris"}', '{"city":"Tokyo"}']);
  });
});

const SHORT: CanonicalStreamEvent[] = [
  { type: "message_start", id: "up-1", model: "upstream-model" },
  { type: "usage", usage: { inputTokens: 30, outputTokens: 1, cachedInputTokens: 10 } },
  { type: "block_start", index: 0, block: { type: "text" } },
  { type: "text_delta", index: 0, text: "Hi" },
  { type: "block_stop", index: 0 },
  { type: "block_start", index: 1, block: { type: "tool_call", id: "call_x", name: "lookup" } },
  { type: "tool_call_delta", index: 1, arguments: '{"q":' },
  { type: "tool_call_delta", index: 1, arguments: '"a"}' },
  { type: "block_stop", index: 1 },
  { type: "finish", reason: "tool_calls" },
  { type: "usage", usage: { inputTokens: 30, outputTokens: 9, cachedInputTokens: 10 } },
  { type: "message_stop" },
];

const sse = (payload: object) => `data: ${JSON.stringify(payload)}\n\n`;
const named = (event: string, payload: object) => `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;

describe("client stream encoders write the API's own wire format", () => {
  it("OpenAI Chat: chunks, a finish chunk, the usage chunk the client asked for, then [DONE]", () => {
    const base = { id: "chatcmpl-req_1", object: "chat.completion.chunk", created: 1700000000, model: "client-model" };
    const chunk = (delta: object, finish: string | null = null) =>
      sse({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null });
    expect(encodeAll("openai_chat", SHORT)).toBe(
      chunk({ role: "assistant", content: "" }) +
        chunk({ content: "Hi" }) +
        chunk({ tool_calls: [{ index: 0, id: "call_x", type: "function", function: { name: "lookup", arguments: "" } }] }) +
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] }) +
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"a"}' } }] }) +
        chunk({}, "tool_calls") +
        sse({
          ...base,
          choices: [],
          usage: {
            prompt_tokens: 30,
            completion_tokens: 9,
            total_tokens: 39,
            prompt_tokens_details: { cached_tokens: 10 },
            completion_tokens_details: { reasoning_tokens: 0 },
          },
        }) +
        "data: [DONE]\n\n",
    );
  });

  it("OpenAI Chat without include_usage: no usage chunk and no usage fields", () => {
    const text = encodeAll("openai_chat", SHORT, { includeUsage: false });
    expect(text).not.toContain('"usage"');
    expect(text.endsWith('"finish_reason":"tool_calls"}]}\n\ndata: [DONE]\n\n')).toBe(true);
  });

  it("Anthropic: message_start with the input tokens already known, blocks, message_delta with full usage, message_stop", () => {
    const usage = { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 10 };
    expect(encodeAll("anthropic_messages", SHORT)).toBe(
      named("message_start", {
        type: "message_start",
        message: {
          id: "msg_req_1",
          type: "message",
          role: "assistant",
          model: "client-model",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      }) +
        named("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }) +
        named("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } }) +
        named("content_block_stop", { type: "content_block_stop", index: 0 }) +
        named("content_block_start", {
          type: "content_block_start",
          index: 1,
          content_block: { type: "tool_use", id: "call_x", name: "lookup", input: {} },
        }) +
        named("content_block_delta", {
          type: "content_block_delta",
          index: 1,
          delta: { type: "input_json_delta", partial_json: '{"q":' },
        }) +
        named("content_block_delta", {
          type: "content_block_delta",
          index: 1,
          delta: { type: "input_json_delta", partial_json: '"a"}' },
        }) +
        named("content_block_stop", { type: "content_block_stop", index: 1 }) +
        named("message_delta", {
          type: "message_delta",
          delta: { stop_reason: "tool_use", stop_sequence: null },
          usage: { ...usage, output_tokens: 9 },
        }) +
        named("message_stop", { type: "message_stop" }),
    );
  });

  it("Gemini: one chunk per delta, a whole function call once its arguments are complete, a final chunk with usage", () => {
    const base = { modelVersion: "client-model", responseId: "req_1" };
    const chunk = (parts: object[], extra = {}) =>
      `data: ${JSON.stringify({ candidates: [{ content: { role: "model", parts }, ...extra, index: 0 }], ...base })}\r\n\r\n`;
    expect(encodeAll("gemini", SHORT)).toBe(
      chunk([{ text: "Hi" }]) +
        chunk([{ functionCall: { id: "call_x", name: "lookup", args: { q: "a" } } }]) +
        `data: ${JSON.stringify({
          candidates: [{ content: { role: "model", parts: [{ text: "" }] }, finishReason: "STOP", index: 0 }],
          usageMetadata: { promptTokenCount: 30, candidatesTokenCount: 9, totalTokenCount: 39, cachedContentTokenCount: 10 },
          ...base,
        })}\r\n\r\n`,
    );
  });

  it("Gemini without alt=sse: one JSON array", () => {
    const text = encodeAll("gemini", SHORT, { sse: false });
    const chunks = JSON.parse(text) as Array<{ candidates: Array<{ finishReason?: string }> }>;
    expect(chunks).toHaveLength(3);
    expect(chunks[2]?.candidates[0]?.finishReason).toBe("STOP");
  });

  it("Responses: the documented event sequence with increasing sequence numbers and a final response with usage", () => {
    const text = encodeAll("openai_responses", SHORT);
    const events = text
      .split("\n\n")
      .filter((frame) => frame !== "")
      .map((frame) => {
        const [eventLine, dataLine] = frame.split("\n");
        const data = JSON.parse((dataLine ?? "").slice("data: ".length)) as Record<string, unknown>;
        expect(eventLine).toBe(`event: ${String(data.type)}`);
        return data;
      });
    expect(events.map((event) => event.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, i) => i));
    expect(events[9]).toEqual({
      type: "response.function_call_arguments.delta",
      item_id: "fc_req_1_1",
      output_index: 1,
      delta: '{"q":',
      sequence_number: 9,
    });
    expect(events[13]?.response).toMatchObject({
      id: "resp_req_1",
      status: "completed",
      model: "client-model",
      output: [
        {
          id: "msg_req_1_0",
          type: "message",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: "Hi", annotations: [], logprobs: [] }],
        },
        {
          id: "fc_req_1_1",
          type: "function_call",
          status: "completed",
          arguments: '{"q":"a"}',
          call_id: "call_x",
          name: "lookup",
        },
      ],
      usage: {
        input_tokens: 30,
        input_tokens_details: { cached_tokens: 10 },
        output_tokens: 9,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 39,
      },
    });
  });

  it("Responses ends with response.incomplete when the token limit cut the reply", () => {
    const text = encodeAll("openai_responses", [
      ...SHORT.slice(0, 5),
      { type: "finish", reason: "length" },
      { type: "message_stop" },
    ]);
    expect(text).toContain('event: response.incomplete\ndata: {"type":"response.incomplete","response":{');
    expect(text).toContain('"status":"incomplete","error":null,"incomplete_details":{"reason":"max_output_tokens"}');
  });

  it.each(INBOUND)("%s: end() closes a stream whose upstream never sent message_stop, exactly once", (format) => {
    const encoder = createStreamEncoder(format, opts);
    const body = SHORT.slice(0, 5)
      .map((event) => encoder.encode(event))
      .join("");
    const closing = encoder.end();
    expect(closing).not.toBe("");
    expect(encoder.end()).toBe("");
    expect(summarizeStream(readBack(format, body + closing))).toMatchObject({ text: "Hi", errors: [], stopped: true });
  });
});

describe("in-stream errors in each client format", () => {
  const error = new AppError("upstream_error", "the upstream connection was reset", { retryable: true });

  it.each([
    [
      "openai_chat",
      'data: {"error":{"message":"the upstream connection was reset","type":"server_error","param":null,"code":"upstream_error"}}\n\n',
    ],
    [
      "anthropic_messages",
      'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"the upstream connection was reset"}}\n\n',
    ],
    ["gemini", 'data: {"error":{"code":502,"message":"the upstream connection was reset","status":"UNAVAILABLE"}}\r\n\r\n'],
    [
      "openai_responses",
      'event: error\ndata: {"type":"error","code":"upstream_error","message":"the upstream connection was reset","param":null,"sequence_number":0}\n\n',
    ],
  ] as const)("%s before any output", (format, expected) => {
    const encoder = createStreamEncoder(format, opts);
    expect(encoder.error(error)).toBe(expected);
    expect(encoder.end()).toBe("");
    expect(encoder.encode({ type: "message_stop" })).toBe("");
  });

  it("Responses after output has started: response.failed carrying the error", () => {
    const encoder = createStreamEncoder("openai_responses", opts);
    encoder.encode(SHORT[0] as CanonicalStreamEvent);
    const text = encoder.error(error);
    expect(text.startsWith('event: response.failed\ndata: {"type":"response.failed","response":{"id":"resp_req_1"')).toBe(true);
    expect(text).toContain('"status":"failed","error":{"code":"server_error","message":"the upstream connection was reset"}');
  });

  it.each(INBOUND)("%s: an error event from the decoder is written as the client's error", (format) => {
    const text = encodeAll(format, [SHORT[0] as CanonicalStreamEvent, { type: "error", error }]);
    expect(summarizeStream(readBack(format, text)).errors).toEqual(["the upstream connection was reset"]);
  });
});
