import { describe, expect, it } from "vitest";
import {
  ANSWER_SCHEMA,
  INBOUND_REQUESTS,
  OPENAI_CHAT_REQUEST,
  PNG,
  WEATHER_SCHEMA,
} from "../../test/fixtures/request-fixtures.js";
import { requestSemantics } from "../../test/support/semantics.js";
import type { CanonicalRequest } from "../canonical/request.js";
import type { ApiFormat, InboundFormat, UpstreamFormat } from "../formats.js";
import { decodeRequest, encodeRequest } from "./request-codecs.js";

const tool = { name: "get_weather", description: "Current weather for a city", parameters: WEATHER_SCHEMA };
const image = { type: "image", source: { kind: "base64", mediaType: "image/png", data: PNG } } as const;
const question = { type: "text", text: "What is in this image?" } as const;
const assistant = {
  role: "assistant",
  content: [
    { type: "text", text: "Let me check the weather in two cities." },
    { type: "tool_call", id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
    { type: "tool_call", id: "call_2", name: "get_weather", arguments: '{"city":"Tokyo"}' },
  ],
} as const;
const result1 = { type: "tool_result", toolCallId: "call_1", content: [{ type: "text", text: "18C sunny" }] } as const;
const result2 = { type: "tool_result", toolCallId: "call_2", content: [{ type: "text", text: "25C rain" }] } as const;
const followUp = { type: "text", text: "Convert both to Fahrenheit." } as const;
const shared = {
  system: [{ text: "You are terse." }],
  tools: [tool],
  toolChoice: { type: "auto" },
  maxTokens: 1000,
  temperature: 0.2,
  topP: 0.9,
  stream: false,
};

/** What each format's fixture decodes to, in full. */
const EXPECTED_CANONICAL: Record<InboundFormat, CanonicalRequest> = {
  openai_chat: {
    ...shared,
    model: "gpt-4o",
    messages: [
      { role: "user", content: [question, image] },
      assistant,
      { role: "user", content: [result1] },
      { role: "user", content: [result2] },
      { role: "user", content: [followUp] },
    ],
    stop: ["END"],
    responseFormat: { type: "json_schema", name: "weather", schema: ANSWER_SCHEMA, strict: true },
    includeUsage: false,
  } as CanonicalRequest,
  anthropic_messages: {
    ...shared,
    model: "claude-sonnet-4-5",
    messages: [{ role: "user", content: [question, image] }, assistant, { role: "user", content: [result1, result2, followUp] }],
    stop: ["END"],
    responseFormat: { type: "json_schema", name: "response", schema: ANSWER_SCHEMA, strict: true },
    includeUsage: true,
  } as CanonicalRequest,
  openai_responses: {
    ...shared,
    model: "gpt-5",
    messages: [{ role: "user", content: [question, image] }, assistant, { role: "user", content: [result1, result2, followUp] }],
    responseFormat: { type: "json_schema", name: "weather", schema: ANSWER_SCHEMA, strict: true },
    includeUsage: true,
  } as CanonicalRequest,
  gemini: {
    ...shared,
    model: "gemini-2.5-pro",
    messages: [
      { role: "user", content: [question, image] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Let me check the weather in two cities." },
          { type: "tool_call", id: "call_0", name: "get_weather", arguments: '{"city":"Paris"}' },
          { type: "tool_call", id: "call_1", name: "get_weather", arguments: '{"city":"Tokyo"}' },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", toolCallId: "call_0", name: "get_weather", content: [{ type: "text", text: "18C sunny" }] },
          { type: "tool_result", toolCallId: "call_1", name: "get_weather", content: [{ type: "text", text: "25C rain" }] },
          followUp,
        ],
      },
    ],
    stop: ["END"],
    responseFormat: { type: "json_schema", name: "response", schema: ANSWER_SCHEMA },
    includeUsage: true,
  } as CanonicalRequest,
};

const URL_OPTS = { model: "gemini-2.5-pro", stream: false };
const decode = (format: ApiFormat, body: unknown) => decodeRequest(format, body, URL_OPTS);
const INBOUND = Object.keys(INBOUND_REQUESTS) as InboundFormat[];
const UPSTREAM: UpstreamFormat[] = ["openai_chat", "anthropic_messages", "gemini", "bedrock_converse"];

describe("decodeRequest", () => {
  it.each(INBOUND)("decodes the %s fixture into the full canonical request", (format) => {
    expect(decode(format, INBOUND_REQUESTS[format])).toEqual(EXPECTED_CANONICAL[format]);
  });

  it("every inbound fixture means the same conversation", () => {
    const [first, ...rest] = INBOUND.map((format) => requestSemantics(decode(format, INBOUND_REQUESTS[format])));
    for (const other of rest) expect({ ...other, stop: undefined }).toEqual({ ...first, stop: undefined });
  });
});

describe("encodeRequest", () => {
  const golden = EXPECTED_CANONICAL.openai_chat;
  const opts = { upstreamModel: "upstream-model" };

  it("encodes the conversation as an OpenAI Chat body", () => {
    expect(encodeRequest("openai_chat", golden, opts)).toEqual({
      ...OPENAI_CHAT_REQUEST,
      model: "upstream-model",
      max_tokens: undefined,
      max_completion_tokens: 1000,
    });
  });

  it("uses max_tokens when configured for an OpenAI-compatible server that lacks max_completion_tokens", () => {
    const body = encodeRequest("openai_chat", golden, { ...opts, openaiMaxTokensField: "max_tokens" });
    expect(body.max_tokens).toBe(1000);
    expect(body).not.toHaveProperty("max_completion_tokens");
  });

  it("encodes the conversation as an Anthropic Messages body", () => {
    expect(encodeRequest("anthropic_messages", golden, opts)).toEqual({
      model: "upstream-model",
      max_tokens: 1000,
      system: "You are terse.",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this image?" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Let me check the weather in two cities." },
            { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
            { type: "tool_use", id: "call_2", name: "get_weather", input: { city: "Tokyo" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "call_1", content: [{ type: "text", text: "18C sunny" }] },
            { type: "tool_result", tool_use_id: "call_2", content: [{ type: "text", text: "25C rain" }] },
            { type: "text", text: "Convert both to Fahrenheit." },
          ],
        },
      ],
      tools: [{ name: "get_weather", description: "Current weather for a city", input_schema: WEATHER_SCHEMA }],
      tool_choice: { type: "auto" },
      stop_sequences: ["END"],
      temperature: 0.2,
      top_p: 0.9,
      output_config: { format: { type: "json_schema", schema: ANSWER_SCHEMA } },
    });
  });

  it("encodes the conversation as a Gemini body, adding Google's stand-in signature to foreign function calls", () => {
    expect(encodeRequest("gemini", golden, opts)).toEqual({
      contents: [
        { role: "user", parts: [{ text: "What is in this image?" }, { inlineData: { mimeType: "image/png", data: PNG } }] },
        {
          role: "model",
          parts: [
            { text: "Let me check the weather in two cities." },
            {
              functionCall: { name: "get_weather", args: { city: "Paris" } },
              thoughtSignature: "skip_thought_signature_validator",
            },
            { functionCall: { name: "get_weather", args: { city: "Tokyo" } } },
          ],
        },
        {
          role: "user",
          parts: [
            { functionResponse: { name: "get_weather", response: { output: "18C sunny" } } },
            { functionResponse: { name: "get_weather", response: { output: "25C rain" } } },
            { text: "Convert both to Fahrenheit." },
          ],
        },
      ],
      systemInstruction: { parts: [{ text: "You are terse." }] },
      tools: [
        {
          functionDeclarations: [
            { name: "get_weather", description: "Current weather for a city", parametersJsonSchema: WEATHER_SCHEMA },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: "AUTO" } },
      generationConfig: {
        maxOutputTokens: 1000,
        temperature: 0.2,
        topP: 0.9,
        stopSequences: ["END"],
        responseMimeType: "application/json",
        responseJsonSchema: ANSWER_SCHEMA,
      },
    });
  });

  it("encodes the conversation as a Bedrock Converse body", () => {
    expect(encodeRequest("bedrock_converse", golden, opts)).toEqual({
      messages: [
        { role: "user", content: [{ text: "What is in this image?" }, { image: { format: "png", source: { bytes: PNG } } }] },
        {
          role: "assistant",
          content: [
            { text: "Let me check the weather in two cities." },
            { toolUse: { toolUseId: "call_1", name: "get_weather", input: { city: "Paris" } } },
            { toolUse: { toolUseId: "call_2", name: "get_weather", input: { city: "Tokyo" } } },
          ],
        },
        {
          role: "user",
          content: [
            { toolResult: { toolUseId: "call_1", content: [{ text: "18C sunny" }], status: "success" } },
            { toolResult: { toolUseId: "call_2", content: [{ text: "25C rain" }], status: "success" } },
            { text: "Convert both to Fahrenheit." },
          ],
        },
      ],
      system: [{ text: "You are terse." }],
      toolConfig: {
        tools: [
          { toolSpec: { name: "get_weather", description: "Current weather for a city", inputSchema: { json: WEATHER_SCHEMA } } },
        ],
        toolChoice: { auto: {} },
      },
      inferenceConfig: { maxTokens: 1000, temperature: 0.2, topP: 0.9, stopSequences: ["END"] },
      outputConfig: {
        textFormat: {
          type: "json_schema",
          structure: { jsonSchema: { schema: JSON.stringify(ANSWER_SCHEMA), name: "weather" } },
        },
      },
    });
  });
});

describe("every inbound format × every upstream format", () => {
  const pairs = INBOUND.flatMap((inbound) => UPSTREAM.map((upstream) => [inbound, upstream] as const));

  it.each(pairs)("%s → %s keeps the meaning of the request", (inbound, upstream) => {
    const canonical = decode(inbound, INBOUND_REQUESTS[inbound]);
    const body = encodeRequest(upstream, canonical, { upstreamModel: "gemini-2.5-pro" });
    const seenByUpstream = decode(upstream, body);
    expect({ ...requestSemantics(seenByUpstream), stream: false }).toEqual({ ...requestSemantics(canonical), stream: false });
  });

  it.each(INBOUND)("%s round-trips through its own format", (format) => {
    const canonical = decode(format, INBOUND_REQUESTS[format]);
    const again = decode(format, encodeRequest(format, canonical, { upstreamModel: canonical.model }));
    expect(requestSemantics(again)).toEqual(requestSemantics(canonical));
  });

  it("streams when asked, and always asks OpenAI upstreams for the usage chunk", () => {
    const canonical = decodeRequest("anthropic_messages", { ...INBOUND_REQUESTS.anthropic_messages, stream: true });
    expect(encodeRequest("openai_chat", canonical, { upstreamModel: "m" })).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(encodeRequest("anthropic_messages", canonical, { upstreamModel: "m" })).toMatchObject({ stream: true });
  });
});

describe("mid-conversation system messages", () => {
  const request = {
    model: "m",
    max_tokens: 100,
    messages: [
      { role: "system", content: "be brief" },
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
      { role: "system", content: "now answer in French" },
      { role: "user", content: "again" },
    ],
  };

  it("stay in place as tagged user text where only a leading system prompt exists, the prefix unchanged", () => {
    const canonical = decodeRequest("openai_chat", request);
    const anthropic = encodeRequest("anthropic_messages", canonical, { upstreamModel: "claude" });
    expect(anthropic.system).toBe("be brief");
    expect(anthropic.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "hi" }] },
      { role: "assistant", content: [{ type: "text", text: "hello" }] },
      {
        role: "user",
        content: [
          { type: "text", text: "<system>\nnow answer in French\n</system>" },
          { type: "text", text: "again" },
        ],
      },
    ]);
    const gemini = encodeRequest("gemini", canonical, { upstreamModel: "gemini" });
    expect((gemini.contents as unknown[]).at(-1)).toEqual({
      role: "user",
      parts: [{ text: "<system>\nnow answer in French\n</system>" }, { text: "again" }],
    });
  });

  it("stay system messages, in place, on a Responses upstream", () => {
    const body = encodeRequest("openai_responses", decodeRequest("openai_chat", request), { upstreamModel: "gpt-5-pro" });
    expect(body.instructions).toBe("be brief");
    expect(body.input).toEqual([
      { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "hello" }] },
      { type: "message", role: "system", content: [{ type: "input_text", text: "now answer in French" }] },
      { type: "message", role: "user", content: [{ type: "input_text", text: "again" }] },
    ]);
  });
});
