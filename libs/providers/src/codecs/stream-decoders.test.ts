import { describe, expect, it } from "vitest";
import { BEDROCK_STREAM, SSE_STREAMS } from "../../test/fixtures/stream-fixtures.js";
import { summarizeStream } from "../../test/support/stream-summary.js";
import type { CanonicalStreamEvent } from "../canonical/stream.js";
import type { SseFormat } from "../formats.js";
import { createByteStreamDecoder, createStreamDecoder } from "./stream-codecs.js";

const reasoning = (index: number): CanonicalStreamEvent[] => [
  { type: "block_start", index, block: { type: "reasoning" } },
  { type: "reasoning_delta", index, text: "Need the " },
  { type: "reasoning_delta", index, text: "weather." },
];
const text = (index: number): CanonicalStreamEvent[] => [
  { type: "block_start", index, block: { type: "text" } },
  { type: "text_delta", index, text: "Checking " },
  { type: "text_delta", index, text: "both." },
];
const tool = (index: number, id: string): CanonicalStreamEvent => ({
  type: "block_start",
  index,
  block: { type: "tool_call", id, name: "get_weather" },
});
const args = (index: number, ...fragments: string[]): CanonicalStreamEvent[] =>
  fragments.map((fragment) => ({ type: "tool_call_delta", index, arguments: fragment }));
const stop = (index: number): CanonicalStreamEvent => ({ type: "block_stop", index });
const SIGNATURE: CanonicalStreamEvent = { type: "reasoning_delta", index: 0, signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3h" };
const END: CanonicalStreamEvent[] = [{ type: "finish", reason: "tool_calls" }];
const OPENAI_USAGE = { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100, reasoningTokens: 12 };
const CLAUDE_USAGE = { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100, cacheWriteInputTokens: 0 };
const geminiPartialUsage: CanonicalStreamEvent = {
  type: "usage",
  usage: { inputTokens: 120, outputTokens: 0, cachedInputTokens: 100 },
};
const anyCallId = expect.stringMatching(/^call_/) as unknown as string;

const EXPECTED: Record<SseFormat, CanonicalStreamEvent[]> = {
  openai_chat: [
    { type: "message_start", id: "chatcmpl-7", model: "gpt-4o-2024-08-06" },
    ...reasoning(0),
    stop(0),
    ...text(1),
    stop(1),
    tool(2, "call_a"),
    ...args(2, '{"ci'),
    tool(3, "call_b"),
    ...args(3, '{"city":'),
    ...args(2, 'ty":"Pa'),
    ...args(3, '"Tok'),
    ...args(2, 'ris"}'),
    ...args(3, 'yo"}'),
    stop(2),
    stop(3),
    ...END,
    { type: "usage", usage: OPENAI_USAGE },
    { type: "message_stop" },
  ],
  anthropic_messages: [
    { type: "message_start", id: "msg_01XFDUDYJgAACzvnptvVoYEL", model: "claude-sonnet-4-5-20250929" },
    { type: "usage", usage: { ...CLAUDE_USAGE, outputTokens: 1 } },
    ...reasoning(0),
    SIGNATURE,
    stop(0),
    ...text(1),
    stop(1),
    tool(2, "call_a"),
    ...args(2, '{"ci', 'ty":"Pa', 'ris"}'),
    stop(2),
    tool(3, "call_b"),
    ...args(3, '{"city":', '"Tok', 'yo"}'),
    stop(3),
    ...END,
    { type: "usage", usage: CLAUDE_USAGE },
    { type: "message_stop" },
  ],
  gemini: [
    { type: "message_start", id: "mKzKaMTqF4-b1dkP9rS5yQ4", model: "gemini-2.5-pro" },
    { type: "block_start", index: 0, block: { type: "reasoning" } },
    { type: "reasoning_delta", index: 0, text: "Need the " },
    geminiPartialUsage,
    { type: "reasoning_delta", index: 0, text: "weather." },
    geminiPartialUsage,
    stop(0),
    { type: "block_start", index: 1, block: { type: "text" } },
    { type: "text_delta", index: 1, text: "Checking " },
    geminiPartialUsage,
    { type: "text_delta", index: 1, text: "both." },
    geminiPartialUsage,
    stop(1),
    {
      type: "block_start",
      index: 2,
      block: { type: "tool_call", id: anyCallId, name: "get_weather", thoughtSignature: "CiQB0e2Kb7Hx" },
    },
    ...args(2, '{"city":"Paris"}'),
    stop(2),
    { type: "block_start", index: 3, block: { type: "tool_call", id: anyCallId, name: "get_weather" } },
    ...args(3, '{"city":"Tokyo"}'),
    stop(3),
    ...END,
    { type: "usage", usage: OPENAI_USAGE },
    { type: "message_stop" },
  ],
  openai_responses: [
    { type: "message_start", id: "resp_67cc", model: "gpt-5-2025-08-07" },
    ...reasoning(0),
    stop(0),
    ...text(1),
    stop(1),
    tool(2, "call_a"),
    ...args(2, '{"ci', 'ty":"Pa', 'ris"}'),
    stop(2),
    tool(3, "call_b"),
    ...args(3, '{"city":', '"Tok', 'yo"}'),
    stop(3),
    ...END,
    { type: "usage", usage: OPENAI_USAGE },
    { type: "message_stop" },
  ],
};

const FORMATS = Object.keys(SSE_STREAMS) as SseFormat[];

function decodeChunks(format: SseFormat, chunks: Array<string | Uint8Array>): CanonicalStreamEvent[] {
  const decoder = createByteStreamDecoder(format);
  const out: CanonicalStreamEvent[] = [];
  for (const chunk of chunks) out.push(...decoder.push(chunk));
  out.push(...decoder.end());
  return out;
}

describe("upstream stream decoders", () => {
  it.each(FORMATS)("decode the recorded %s stream into the expected canonical events", (format) => {
    expect(decodeChunks(format, [SSE_STREAMS[format]])).toEqual(EXPECTED[format]);
  });

  it.each(FORMATS)("decode the %s stream identically at every split point", (format) => {
    const raw = SSE_STREAMS[format];
    const whole = summarizeStream(decodeChunks(format, [raw]));
    for (let at = 1; at < raw.length; at++) {
      expect(summarizeStream(decodeChunks(format, [raw.slice(0, at), raw.slice(at)]))).toEqual(whole);
    }
  });

  it.each(FORMATS)("decode the %s stream identically from 1-byte chunks", (format) => {
    const bytes = new TextEncoder().encode(SSE_STREAMS[format]);
    const chunks = Array.from(bytes, (_byte, i) => bytes.subarray(i, i + 1));
    expect(decodeChunks(format, chunks)).toEqual(EXPECTED[format]);
  });

  it.each(FORMATS)("reassemble both parallel calls of the %s stream exactly", (format) => {
    const { calls } = summarizeStream(decodeChunks(format, [SSE_STREAMS[format]]));
    expect(calls.map((call) => [call.name, call.args])).toEqual([
      ["get_weather", '{"city":"Paris"}'],
      ["get_weather", '{"city":"Tokyo"}'],
    ]);
  });

  it("decode the recorded Bedrock ConverseStream events", () => {
    const decoder = createStreamDecoder("bedrock_converse");
    const events = [...BEDROCK_STREAM.flatMap((event) => decoder.push(event)), ...decoder.end()];
    expect(events).toEqual([
      { type: "message_start" },
      ...reasoning(0),
      SIGNATURE,
      stop(0),
      ...text(1),
      stop(1),
      tool(2, "call_a"),
      ...args(2, '{"ci', 'ty":"Pa', 'ris"}'),
      stop(2),
      tool(3, "call_b"),
      ...args(3, '{"city":', '"Tok', 'yo"}'),
      stop(3),
      ...END,
      { type: "usage", usage: CLAUDE_USAGE },
      { type: "message_stop" },
    ]);
  });

  it("report Anthropic input tokens (from message_start) together with output tokens (from message_delta)", () => {
    const { usage } = summarizeStream(decodeChunks("anthropic_messages", [SSE_STREAMS.anthropic_messages]));
    expect(usage?.inputTokens).toBe(120);
    expect(usage?.outputTokens).toBe(40);
  });
});

describe("stream decoder failures", () => {
  const errorsOf = (format: SseFormat, raw: string) => {
    const events = decodeChunks(format, [raw]);
    return { errors: summarizeStream(events).errors, last: events.at(-1)?.type };
  };

  it.each([
    ["openai_chat", 'data: {"error":{"message":"Rate limit reached","type":"requests"}}\n\n', "Rate limit reached"],
    [
      "anthropic_messages",
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
      "Overloaded",
    ],
    [
      "gemini",
      'data: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}\n\n',
      "The model is overloaded.",
    ],
    [
      "openai_responses",
      'event: response.failed\ndata: {"type":"response.failed","response":{"id":"r","status":"failed","output":[],"error":{"code":"server_error","message":"boom"}}}\n\n',
      "boom",
    ],
  ] as const)("turn the %s in-stream error into one error event", (format, raw, message) => {
    expect(errorsOf(format, raw)).toEqual({ errors: [message], last: "error" });
  });

  it.each(FORMATS)("report a %s stream that stops before finishing", (format) => {
    const raw = SSE_STREAMS[format];
    const cut = raw.slice(0, raw.indexOf("Checking"));
    expect(errorsOf(format, cut.slice(0, cut.lastIndexOf("\n\n") + 2))).toEqual({
      errors: ["the upstream stream ended before the response was complete"],
      last: "error",
    });
  });

  it("accept an OpenAI-compatible stream that finishes without [DONE]", () => {
    const raw = SSE_STREAMS.openai_chat.replace("data: [DONE]\n\n", "");
    expect(summarizeStream(decodeChunks("openai_chat", [raw]))).toMatchObject({
      errors: [],
      stopped: true,
      finish: "tool_calls",
    });
  });

  it("turn an event that is not JSON into an error event and ignore what follows", () => {
    const events = decodeChunks("anthropic_messages", [
      "event: message_start\ndata: {not json\n\n",
      SSE_STREAMS.anthropic_messages,
    ]);
    expect(events).toEqual([
      {
        type: "error",
        error: expect.objectContaining({
          code: "upstream_error",
          message: "the upstream stream contained an event that is not valid JSON",
        }),
      },
    ]);
  });

  it("turn a Bedrock exception event into an error event", () => {
    const decoder = createStreamDecoder("bedrock_converse");
    const events = [
      ...decoder.push({ eventType: "messageStart", payload: { role: "assistant" } }),
      ...decoder.push({ eventType: "throttlingException", payload: { message: "Too many requests" } }),
      ...decoder.end(),
    ];
    expect(summarizeStream(events).errors).toEqual(["Too many requests"]);
    expect(events.at(-1)?.type).toBe("error");
  });

  it("unwrap Bedrock events that keep the SDK's wrapping", () => {
    const decoder = createStreamDecoder("bedrock_converse");
    const events = decoder.push({
      eventType: "contentBlockDelta",
      payload: { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "hi" } } },
    });
    expect(events).toEqual([
      { type: "message_start" },
      { type: "block_start", index: 0, block: { type: "text" } },
      { type: "text_delta", index: 0, text: "hi" },
    ]);
  });

  it("read Gemini's JSON-array framing (no alt=sse) as well as SSE", () => {
    const array = `[${SSE_STREAMS.gemini
      .split("\r\n\r\n")
      .filter((frame) => frame !== "")
      .map((frame) => frame.slice("data: ".length))
      .join(",\r\n")}]`;
    const fromArray = summarizeStream(
      decodeChunks(
        "gemini",
        Array.from(array, (ch) => ch),
      ),
    );
    const fromSse = summarizeStream(decodeChunks("gemini", [SSE_STREAMS.gemini]));
    expect({ ...fromArray, calls: fromArray.calls.map(({ name, args }) => ({ name, args })) }).toEqual({
      ...fromSse,
      calls: fromSse.calls.map(({ name, args }) => ({ name, args })),
    });
  });
});
