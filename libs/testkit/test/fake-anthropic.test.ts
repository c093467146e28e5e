import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { countFakeTokens, type FakeUpstream, IMAGE_TOKENS, startFakeUpstream } from "../src/fake-upstreams/index.js";
import { PNG_BASE64, PNG_BYTES } from "./support/sample-image.js";

const TOOLS: Anthropic.Tool[] = [
  {
    name: "get_weather",
    description: "Weather for a city",
    input_schema: { type: "object", properties: { city: { type: "string" } } },
  },
  { name: "get_time", input_schema: { type: "object", properties: { tz: { type: "string" } } } },
];
const TWO_TOOLS_PROMPT = 'use tool get_weather with {"city":"Paris","days":[1,2]} and use tool get_time with {"tz":"CET"}';
const toolTokens = TOOLS.reduce(
  (n, t) => n + countFakeTokens(t.name + (t.description ?? "") + JSON.stringify(t.input_schema)),
  0,
);

function usage(input: number, output: number, cacheRead = 0, cacheCreation = 0) {
  return {
    input_tokens: input,
    cache_creation_input_tokens: cacheCreation,
    cache_read_input_tokens: cacheRead,
    output_tokens: output,
    service_tier: "standard",
  };
}

describe("Anthropic fake through the official @anthropic-ai/sdk", () => {
  let fake: FakeUpstream;
  let client: Anthropic;

  beforeAll(async () => {
    fake = await startFakeUpstream("anthropic");
    client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it("creates a message with the echo reply and usage, and records the request's headers", async () => {
    const message = await client.messages.create({
      model: "claude-sonnet-5-5",
      max_tokens: 256,
      system: "Be brief.",
      messages: [{ role: "user", content: "Hello Claude" }],
    });
    expect(message).toEqual({
      id: expect.stringMatching(/^msg_/),
      type: "message",
      role: "assistant",
      model: "claude-sonnet-5-5",
      content: [{ type: "text", text: "echo: Hello Claude" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: usage(countFakeTokens("Be brief.") + countFakeTokens("Hello Claude"), countFakeTokens("echo: Hello Claude")),
    });
    expect(fake.requests[0]).toMatchObject({
      method: "POST",
      path: "/v1/messages",
      // SDK 1.x (API version 2026-10-21) sends the key as a bearer token; the fake accepts that and x-api-key.
      headers: { authorization: `Bearer ${fake.apiKey}`, "anthropic-version": "2026-10-21" },
      body: { model: "claude-sonnet-5-5", max_tokens: 256, system: "Be brief." },
    });
  });

  it("streams the exact event sequence and messages.stream() assembles the same message", async () => {
    const raw = await client.messages.create({
      model: "claude-sonnet-5-5",
      max_tokens: 256,
      messages: [{ role: "user", content: "Stream a reply" }],
      stream: true,
    });
    const events: Anthropic.MessageStreamEvent[] = [];
    for await (const event of raw) events.push(event);
    const text = "echo: Stream a reply";
    const deltas = events.flatMap((e) =>
      e.type === "content_block_delta" && e.delta.type === "text_delta" ? [e.delta.text] : [],
    );
    expect(events.map((e) => e.type)).toEqual([
      "message_start",
      "content_block_start",
      ...deltas.map(() => "content_block_delta"),
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(text);
    expect(events[0]).toMatchObject({
      message: { content: [], stop_reason: null, usage: usage(countFakeTokens("Stream a reply"), 1) },
    });
    expect(events.at(-2)).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: countFakeTokens(text) },
    });

    const final = await client.messages
      .stream({ model: "claude-sonnet-5-5", max_tokens: 256, messages: [{ role: "user", content: "Stream a reply" }] })
      .finalMessage();
    expect(final).toMatchObject({
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
      usage: { output_tokens: countFakeTokens(text) },
    });
  });

  it("sends a ping right after the first content block opens", async () => {
    const response = await fetch(`${fake.baseUrl}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": fake.apiKey, "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify({
        model: "claude-sonnet-5-5",
        max_tokens: 10,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    const names = [...(await response.text()).matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names.slice(0, 3)).toEqual(["message_start", "content_block_start", "ping"]);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  });

  it("uses two tools in parallel with input_json_delta fragments the stream helper reassembles", async () => {
    const request = {
      model: "claude-sonnet-5-5",
      max_tokens: 256,
      tools: TOOLS,
      messages: [{ role: "user" as const, content: TWO_TOOLS_PROMPT }],
    };
    const expectedContent = [
      { type: "tool_use", id: expect.stringMatching(/^toolu_/), name: "get_weather", input: { city: "Paris", days: [1, 2] } },
      { type: "tool_use", id: expect.stringMatching(/^toolu_/), name: "get_time", input: { tz: "CET" } },
    ];
    const whole = await client.messages.create(request);
    expect(whole).toMatchObject({ stop_reason: "tool_use", content: expectedContent });
    expect(whole.usage.input_tokens).toBe(countFakeTokens(TWO_TOOLS_PROMPT) + toolTokens);

    const fragments: string[] = [];
    const stream = client.messages.stream(request);
    stream.on("streamEvent", (event) => {
      if (event.type === "content_block_delta" && event.delta.type === "input_json_delta")
        fragments.push(event.delta.partial_json);
    });
    const final = await stream.finalMessage();
    expect(final).toMatchObject({ stop_reason: "tool_use", content: expectedContent });
    expect(fragments.length).toBeGreaterThanOrEqual(6);
  });

  it("answers tool results, naming each tool by its tool_use id", async () => {
    const message = await client.messages.create({
      model: "claude-sonnet-5-5",
      max_tokens: 256,
      tools: TOOLS,
      messages: [
        { role: "user", content: TWO_TOOLS_PROMPT },
        {
          role: "assistant",
          content: [
            { type: "tool_use", id: "toolu_a", name: "get_weather", input: { city: "Paris" } },
            { type: "tool_use", id: "toolu_b", name: "get_time", input: { tz: "CET" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_a", content: "sunny" },
            { type: "tool_result", tool_use_id: "toolu_b", content: [{ type: "text", text: "12:00" }] },
          ],
        },
      ],
    });
    expect(message.content).toEqual([{ type: "text", text: "tool get_weather returned: sunny\ntool get_time returned: 12:00" }]);
  });

  it("streams a thinking block with thinking_delta and signature_delta when thinking is enabled", async () => {
    const stream = client.messages.stream({
      model: "claude-sonnet-5-5",
      max_tokens: 2048,
      thinking: { type: "enabled", budget_tokens: 1024 },
      messages: [{ role: "user", content: "Think first" }],
    });
    const deltaTypes: string[] = [];
    stream.on("streamEvent", (event) => {
      if (event.type === "content_block_delta") deltaTypes.push(event.delta.type);
    });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([
      { type: "thinking", thinking: "thinking about: Think first", signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) },
      { type: "text", text: "echo: Think first" },
    ]);
    expect(deltaTypes.filter((t) => t === "signature_delta")).toHaveLength(1);
    expect(deltaTypes.indexOf("signature_delta")).toBeLessThan(deltaTypes.indexOf("text_delta"));
    expect(final.usage.output_tokens).toBe(countFakeTokens("thinking about: Think first") + countFakeTokens("echo: Think first"));
  });

  it("describes a base64 image and reports cache tokens split out of input_tokens when scripted", async () => {
    fake.script({ usage: { cachedInputTokens: 50, cacheCreationInputTokens: 10 } });
    const message = await client.messages.create({
      model: "claude-sonnet-5-5",
      max_tokens: 256,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_BASE64 } },
            { type: "text", text: "Describe" },
          ],
        },
      ],
    });
    expect(message.content).toEqual([{ type: "text", text: `echo: Describe\nsaw image: image/png, ${PNG_BYTES} bytes` }]);
    const input = IMAGE_TOKENS + countFakeTokens("Describe");
    expect(message.usage).toEqual(
      usage(input - 60, countFakeTokens(`echo: Describe\nsaw image: image/png, ${PNG_BYTES} bytes`), 50, 10),
    );
  });

  it("counts tokens with the same rule as usage", async () => {
    const counted = await client.messages.countTokens({
      model: "claude-sonnet-5-5",
      system: "Be brief.",
      tools: TOOLS,
      messages: [{ role: "user", content: "How many tokens?" }],
    });
    expect(counted).toEqual({ input_tokens: countFakeTokens("Be brief.") + countFakeTokens("How many tokens?") + toolTokens });
  });

  it("stops at max_tokens, cutting the text to max_tokens × 4 bytes", async () => {
    const message = await client.messages.create({
      model: "claude-sonnet-5-5",
      max_tokens: 2,
      messages: [{ role: "user", content: "too long to fit" }],
    });
    expect(message).toMatchObject({
      stop_reason: "max_tokens",
      content: [{ type: "text", text: "echo: to" }],
      usage: { output_tokens: 2 },
    });
  });

  it("lists the configured models", async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["claude-sonnet-5-5", "claude-haiku-5-5"]);
  });

  describe("errors", () => {
    it("refuses a wrong key with authentication_error", async () => {
      const wrong = new Anthropic({ apiKey: "sk-ant-wrong", baseURL: fake.baseUrl, maxRetries: 0 });
      const error = await wrong.messages
        .create({ model: "claude-sonnet-5-5", max_tokens: 5, messages: [{ role: "user", content: "hi" }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
      expect(error).toMatchObject({
        status: 401,
        error: {
          type: "error",
          error: { type: "authentication_error", message: "invalid x-api-key" },
          request_id: expect.stringMatching(/^req_/),
        },
      });
    });

    it("accepts the key as x-api-key too, and requires the anthropic-version header", async () => {
      const accepted = await fetch(`${fake.baseUrl}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": fake.apiKey, "anthropic-version": "2023-06-01", "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-sonnet-5-5", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }),
      });
      expect(accepted.status).toBe(200);
      const response = await fetch(`${fake.baseUrl}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": fake.apiKey, "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-sonnet-5-5", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        type: "error",
        error: { type: "invalid_request_error", message: "anthropic-version: header is required" },
        request_id: expect.stringMatching(/^req_/),
      });
    });

    it("sends a scripted overload in Anthropic's shape", async () => {
      fake.script({ error: { status: 529 } });
      const error = await client.messages
        .create({ model: "claude-sonnet-5-5", max_tokens: 5, messages: [{ role: "user", content: "hi" }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect(error).toMatchObject({
        status: 529,
        error: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
      });
    });

    it("rejects a body without max_tokens as invalid_request_error", async () => {
      const response = await fetch(`${fake.baseUrl}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": fake.apiKey, "anthropic-version": "2023-06-01", "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-sonnet-5-5", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        type: "error",
        error: { type: "invalid_request_error", message: expect.stringContaining("max_tokens") },
      });
    });
  });
});
