import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  countFakeTokens,
  embeddingFor,
  type FakeUpstream,
  IMAGE_TOKENS,
  startFakeUpstream,
} from "../src/fake-upstreams/index.js";
import { PNG_BASE64, PNG_BYTES } from "./support/sample-image.js";

const TOOLS: OpenAI.Chat.Completions.ChatCompletionFunctionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  },
  { type: "function", function: { name: "get_time", parameters: { type: "object", properties: { tz: { type: "string" } } } } },
];
const TWO_TOOLS_PROMPT = 'use tool get_weather with {"city":"Paris"} and use tool get_time with {"tz":"CET"}';
const toolTokens = TOOLS.reduce(
  (n, t) => n + countFakeTokens(t.function.name + (t.function.description ?? "") + JSON.stringify(t.function.parameters)),
  0,
);

function usage(prompt: number, completion: number, cached = 0, reasoning = 0) {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

describe("OpenAI fake through the official openai SDK", () => {
  let fake: FakeUpstream;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeUpstream("openai");
    client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  describe("chat completions", () => {
    it("answers with the echo of the last user text and the documented usage, and records the request", async () => {
      const completion = await client.chat.completions.create({
        model: "gpt-4o",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hello there" },
        ],
      });
      expect(completion).toEqual({
        id: expect.stringMatching(/^chatcmpl-/),
        object: "chat.completion",
        created: expect.any(Number),
        model: "gpt-4o",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: "echo: Hello there", refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: "stop",
          },
        ],
        usage: usage(countFakeTokens("Be brief.") + countFakeTokens("Hello there"), countFakeTokens("echo: Hello there")),
        service_tier: "default",
        system_fingerprint: "fp_fake",
      });
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({
        method: "POST",
        path: "/v1/chat/completions",
        query: {},
        headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
        body: {
          model: "gpt-4o",
          messages: [
            { role: "system", content: "Be brief." },
            { role: "user", content: "Hello there" },
          ],
        },
      });
    });

    it("streams the reply in several chunks and ends with a usage chunk when include_usage is set", async () => {
      const stream = await client.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "Tell me something long enough" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      const contentChunks = chunks.flatMap((c) => (c.choices[0]?.delta.content ? [c.choices[0].delta.content] : []));
      expect(contentChunks.length).toBeGreaterThan(2);
      expect(contentChunks.join("")).toBe("echo: Tell me something long enough");
      expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "", refusal: null });
      expect(chunks.at(-2)?.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: "stop" });
      expect(chunks.at(-1)).toMatchObject({
        choices: [],
        usage: usage(countFakeTokens("Tell me something long enough"), countFakeTokens("echo: Tell me something long enough")),
      });
      expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    });

    it("calls two tools in parallel when asked, and the SDK's stream helper reassembles the fragmented arguments", async () => {
      const request = { model: "gpt-4o", messages: [{ role: "user" as const, content: TWO_TOOLS_PROMPT }], tools: TOOLS };
      const expectedCalls = [
        {
          id: expect.stringMatching(/^call_/),
          type: "function",
          function: { name: "get_weather", arguments: '{"city":"Paris"}' },
        },
        { id: expect.stringMatching(/^call_/), type: "function", function: { name: "get_time", arguments: '{"tz":"CET"}' } },
      ];
      const whole = await client.chat.completions.create(request);
      expect(whole.choices[0]).toMatchObject({
        finish_reason: "tool_calls",
        message: { role: "assistant", content: null, tool_calls: expectedCalls },
      });
      expect(whole.usage).toEqual(
        usage(
          countFakeTokens(TWO_TOOLS_PROMPT) + toolTokens,
          countFakeTokens('get_weather{"city":"Paris"}') + countFakeTokens('get_time{"tz":"CET"}'),
        ),
      );

      const argumentDeltas: string[] = [];
      const stream = client.chat.completions.stream(request);
      stream.on("chunk", (chunk) => {
        for (const call of chunk.choices[0]?.delta.tool_calls ?? [])
          if (call.function?.arguments) argumentDeltas.push(call.function.arguments);
      });
      const final = await stream.finalChatCompletion();
      expect(final.choices[0]).toMatchObject({ finish_reason: "tool_calls", message: { tool_calls: expectedCalls } });
      expect(argumentDeltas.length).toBeGreaterThanOrEqual(6);
    });

    it("answers with the tool results after a tool turn", async () => {
      const completion = await client.chat.completions.create({
        model: "gpt-4o",
        tools: TOOLS,
        messages: [
          { role: "user", content: TWO_TOOLS_PROMPT },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
              { id: "call_b", type: "function", function: { name: "get_time", arguments: '{"tz":"CET"}' } },
            ],
          },
          { role: "tool", tool_call_id: "call_a", content: "sunny, 21°C" },
          { role: "tool", tool_call_id: "call_b", content: "12:00" },
        ],
      });
      expect(completion.choices[0]?.message.content).toBe(
        "tool get_weather returned: sunny, 21°C\ntool get_time returned: 12:00",
      );
      expect(completion.choices[0]?.finish_reason).toBe("stop");
    });

    it("says which images it saw: media type and size of inline ones, the URL of linked ones", async () => {
      const completion = await client.chat.completions.create({
        model: "gpt-4o",
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
              { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
            ],
          },
        ],
      });
      expect(completion.choices[0]?.message.content).toBe(
        `echo: What is this?\nsaw image: image/png, ${PNG_BYTES} bytes\nsaw image: https://example.com/cat.jpg`,
      );
      expect(completion.usage?.prompt_tokens).toBe(countFakeTokens("What is this?") + 2 * IMAGE_TOKENS);
    });

    it("cuts the reply at max_completion_tokens with finish_reason length", async () => {
      const completion = await client.chat.completions.create({
        model: "gpt-4o",
        max_completion_tokens: 3,
        messages: [{ role: "user", content: "a fairly long question that will not fit" }],
      });
      expect(completion.choices[0]).toMatchObject({ finish_reason: "length", message: { content: "echo: a fair" } });
      expect(completion.usage?.completion_tokens).toBe(3);
    });

    it("reports reasoning tokens for reasoning_effort and scripted cached tokens", async () => {
      fake.script({ usage: { cachedInputTokens: 4 } });
      const completion = await client.chat.completions.create({
        model: "o3-mini",
        reasoning_effort: "low",
        messages: [{ role: "user", content: "Why is the sky blue?" }],
      });
      const reasoning = countFakeTokens("thinking about: Why is the sky blue?");
      expect(completion.usage).toEqual(
        usage(countFakeTokens("Why is the sky blue?"), countFakeTokens("echo: Why is the sky blue?") + reasoning, 4, reasoning),
      );
    });

    it("returns scripted text and tool calls, one script step per request", async () => {
      fake.script(
        { text: "Checking.", toolCalls: [{ name: "lookup", arguments: { q: "x" }, id: "call_fixed" }] },
        { text: "second" },
      );
      const first = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
      const second = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
      const third = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
      expect(first.choices[0]?.message).toMatchObject({
        content: "Checking.",
        tool_calls: [{ id: "call_fixed", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } }],
      });
      expect(second.choices[0]?.message.content).toBe("second");
      expect(third.choices[0]?.message.content).toBe("echo: hi");
      expect(fake.pendingSteps).toBe(0);
    });
  });

  describe("errors", () => {
    it("refuses a wrong key with OpenAI's 401, which the SDK raises as AuthenticationError", async () => {
      const wrong = new OpenAI({ apiKey: "sk-wrong-key-1234", baseURL: fake.baseUrl, maxRetries: 0 });
      const error = await wrong.chat.completions
        .create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(error).toMatchObject({
        status: 401,
        error: {
          message:
            "Incorrect API key provided: ************1234. You can find your API key at https://platform.openai.com/account/api-keys.",
          type: "invalid_request_error",
          param: null,
          code: "invalid_api_key",
        },
      });
    });

    it("sends a scripted error in OpenAI's shape, which the SDK raises as RateLimitError", async () => {
      fake.script({ error: { status: 429, headers: { "retry-after": "2" } } });
      const error = await client.chat.completions
        .create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error).toMatchObject({
        status: 429,
        error: {
          message: "Rate limit reached for requests. Please try again in 20ms.",
          type: "requests",
          param: null,
          code: "rate_limit_exceeded",
        },
      });
      expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("2");
    });

    it("answers 400 in OpenAI's shape for a request without messages", async () => {
      const response = await fetch(`${fake.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o" }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: { message: expect.stringContaining("messages"), type: "invalid_request_error", param: null, code: null },
      });
    });
  });

  describe("responses API", () => {
    it("answers with a message item whose output_text the SDK exposes", async () => {
      const response = await client.responses.create({ model: "gpt-4o", instructions: "Be brief.", input: "Hello Responses" });
      expect(response).toMatchObject({
        id: expect.stringMatching(/^resp_/),
        object: "response",
        status: "completed",
        model: "gpt-4o",
        instructions: "Be brief.",
        output: [
          {
            id: expect.stringMatching(/^msg_/),
            type: "message",
            status: "completed",
            role: "assistant",
            content: [{ type: "output_text", text: "echo: Hello Responses", annotations: [], logprobs: [] }],
          },
        ],
        usage: {
          input_tokens: countFakeTokens("Be brief.") + countFakeTokens("Hello Responses"),
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: countFakeTokens("echo: Hello Responses"),
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens:
            countFakeTokens("Be brief.") + countFakeTokens("Hello Responses") + countFakeTokens("echo: Hello Responses"),
        },
      });
      expect(response.output_text).toBe("echo: Hello Responses");
    });

    it("streams events the SDK's ResponseStream accepts, with a reasoning summary, text deltas and usage", async () => {
      const stream = client.responses.stream({
        model: "o3-mini",
        input: "Stream me please",
        reasoning: { effort: "low", summary: "auto" },
      });
      const types: string[] = [];
      const textDeltas: string[] = [];
      stream.on("event", (event) => {
        types.push(event.type);
        if (event.type === "response.output_text.delta") textDeltas.push(event.delta);
      });
      const final = await stream.finalResponse();
      expect(final.output_text).toBe("echo: Stream me please");
      expect(final.output[0]).toMatchObject({
        type: "reasoning",
        summary: [{ type: "summary_text", text: "thinking about: Stream me please" }],
      });
      expect(final.usage?.output_tokens_details.reasoning_tokens).toBe(countFakeTokens("thinking about: Stream me please"));
      expect(textDeltas.length).toBeGreaterThan(2);
      expect(types[0]).toBe("response.created");
      expect(types.at(-1)).toBe("response.completed");
      expect(types).toContain("response.reasoning_summary_text.delta");
      expect(types).toContain("response.output_item.done");
    });

    it("returns parallel function calls, whole and streamed", async () => {
      const tools: OpenAI.Responses.Tool[] = TOOLS.map((t) => ({
        type: "function",
        name: t.function.name,
        description: t.function.description ?? null,
        parameters: t.function.parameters ?? null,
        strict: false,
      }));
      const expected = [
        {
          type: "function_call",
          name: "get_weather",
          arguments: '{"city":"Paris"}',
          call_id: expect.stringMatching(/^call_/),
          status: "completed",
        },
        {
          type: "function_call",
          name: "get_time",
          arguments: '{"tz":"CET"}',
          call_id: expect.stringMatching(/^call_/),
          status: "completed",
        },
      ];
      const whole = await client.responses.create({ model: "gpt-4o", input: TWO_TOOLS_PROMPT, tools });
      expect(whole.output).toMatchObject(expected);
      const streamed = await client.responses.stream({ model: "gpt-4o", input: TWO_TOOLS_PROMPT, tools }).finalResponse();
      expect(streamed.output).toMatchObject(expected);
    });

    it("answers with the function call output of a follow-up turn", async () => {
      const response = await client.responses.create({
        model: "gpt-4o",
        input: [
          { role: "user", content: "use tool get_weather with {}" },
          { type: "function_call", call_id: "call_1", name: "get_weather", arguments: "{}" },
          { type: "function_call_output", call_id: "call_1", output: "rainy" },
        ],
      });
      expect(response.output_text).toBe("tool get_weather returned: rainy");
    });
  });

  describe("embeddings and models", () => {
    it("returns deterministic vectors, decoded by the SDK from its default base64 encoding", async () => {
      const result = await client.embeddings.create({ model: "text-embedding-3-small", input: ["alpha", "beta"] });
      expect(fake.requests[0]?.body).toMatchObject({ encoding_format: "base64" });
      expect(result.data.map((d) => d.index)).toEqual([0, 1]);
      expect(Array.from(result.data[0]?.embedding ?? [])).toEqual(Array.from(embeddingFor("alpha", 1536)));
      expect(Array.from(result.data[1]?.embedding ?? [])).toEqual(Array.from(embeddingFor("beta", 1536)));
      expect(result.usage).toEqual({ prompt_tokens: countFakeTokens("alpha") + countFakeTokens("beta"), total_tokens: 3 });
    });

    it("honours dimensions and float encoding", async () => {
      const result = await client.embeddings.create({
        model: "text-embedding-3-small",
        input: "alpha",
        dimensions: 8,
        encoding_format: "float",
      });
      expect(result.data[0]?.embedding).toEqual(Array.from(embeddingFor("alpha", 8)));
      const norm = Math.hypot(...(result.data[0]?.embedding ?? []));
      expect(norm).toBeCloseTo(1, 5);
    });

    it("lists the configured models", async () => {
      const models = [];
      for await (const model of client.models.list()) models.push(model);
      expect(models).toEqual(
        ["gpt-4o", "gpt-4o-mini", "o3-mini", "text-embedding-3-small"].map((id) => ({
          id,
          object: "model",
          created: 1_700_000_000,
          owned_by: "system",
        })),
      );
    });
  });
});
