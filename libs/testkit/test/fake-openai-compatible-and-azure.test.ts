import OpenAI, { AzureOpenAI } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { countFakeTokens, embeddingFor, type FakeUpstream, startFakeUpstream } from "../src/fake-upstreams/index.js";

const SAFE = { filtered: false, severity: "safe" };
const FILTER_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };

describe("OpenAI-compatible fake through the openai SDK with a baseURL", () => {
  let fake: FakeUpstream;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeUpstream({ kind: "openai_compatible", basePath: "/compat/v1", apiKey: "compat-key" });
    client = new OpenAI({ apiKey: "compat-key", baseURL: fake.baseUrl, maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it("serves chat completions under the configured base path", async () => {
    expect(fake.baseUrl).toBe(`${fake.url}/compat/v1`);
    const completion = await client.chat.completions.create({
      model: "llama-3.1-8b-instruct",
      messages: [{ role: "user", content: "hola" }],
    });
    expect(completion.choices[0]?.message.content).toBe("echo: hola");
    expect(fake.requests[0]?.path).toBe("/compat/v1/chat/completions");
  });

  it("streams scripted reasoning as reasoning_content deltas, as DeepSeek-style servers do", async () => {
    fake.script({ reasoning: "Let me think this through." });
    const stream = await client.chat.completions.create({
      model: "qwen2.5-7b-instruct",
      messages: [{ role: "user", content: "why?" }],
      stream: true,
    });
    let reasoning = "";
    let content = "";
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string | null; reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? "";
      content += delta?.content ?? "";
    }
    expect(reasoning).toBe("Let me think this through.");
    expect(content).toBe("echo: why?");
  });

  it("serves embeddings and the model list", async () => {
    const result = await client.embeddings.create({
      model: "nomic-embed-text",
      input: "vector me",
      encoding_format: "float",
      dimensions: 4,
    });
    expect(result.data[0]?.embedding).toEqual(Array.from(embeddingFor("vector me", 4)));
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(["llama-3.1-8b-instruct", "qwen2.5-7b-instruct", "nomic-embed-text"]);
  });

  it("has no Responses API", async () => {
    const error = await client.responses.create({ model: "llama-3.1-8b-instruct", input: "hi" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({
      status: 404,
      error: { message: "Invalid URL (POST /compat/v1/responses)", type: "invalid_request_error", param: null, code: null },
    });
  });

  it("serves the Responses API when started with responsesApi, as vLLM-style servers do", async () => {
    const withResponses = await startFakeUpstream({ kind: "openai_compatible", apiKey: "compat-key", responsesApi: true });
    try {
      const sdk = new OpenAI({ apiKey: "compat-key", baseURL: withResponses.baseUrl, maxRetries: 0 });
      const response = await sdk.responses.create({ model: "llama-3.1-8b-instruct", input: "hola" });
      expect(response.output_text).toBe("echo: hola");
      const streamed = await sdk.responses.stream({ model: "llama-3.1-8b-instruct", input: "again" }).finalResponse();
      expect(streamed.output_text).toBe("echo: again");
      expect(withResponses.requests.map((r) => r.path)).toEqual(["/compat/v1/responses", "/compat/v1/responses"]);
    } finally {
      await withResponses.close();
    }
  });

  it("refuses a wrong key in OpenAI's shape", async () => {
    const wrong = new OpenAI({ apiKey: "nope", baseURL: fake.baseUrl, maxRetries: 0 });
    const error = await wrong.models.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({ status: 401, error: { code: "invalid_api_key", type: "invalid_request_error" } });
  });
});

describe("Azure OpenAI fake through the openai SDK's AzureOpenAI client", () => {
  let fake: FakeUpstream;
  let client: AzureOpenAI;

  beforeAll(async () => {
    fake = await startFakeUpstream("azure_openai");
    client = new AzureOpenAI({
      endpoint: fake.baseUrl,
      apiKey: fake.apiKey,
      apiVersion: "2024-10-21",
      deployment: "my-gpt4o",
      maxRetries: 0,
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it("answers a deployment's chat completion with Azure's content-filter results", async () => {
    const completion = await client.chat.completions.create({ model: "", messages: [{ role: "user", content: "Hi Azure" }] });
    expect(completion).toMatchObject({
      model: "my-gpt4o",
      choices: [
        {
          index: 0,
          finish_reason: "stop",
          message: { role: "assistant", content: "echo: Hi Azure" },
          content_filter_results: FILTER_RESULTS,
        },
      ],
      prompt_filter_results: [
        { prompt_index: 0, content_filter_results: { ...FILTER_RESULTS, jailbreak: { filtered: false, detected: false } } },
      ],
      usage: { prompt_tokens: countFakeTokens("Hi Azure"), completion_tokens: countFakeTokens("echo: Hi Azure") },
    });
    expect(fake.requests[0]).toMatchObject({
      path: "/openai/deployments/my-gpt4o/chat/completions",
      query: { "api-version": "2024-10-21" },
      headers: { "api-key": fake.apiKey },
    });
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("streams, opening with Azure's choice-less prompt-filter chunk, and tool calls survive the SDK's stream helper", async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      { type: "function", function: { name: "search", parameters: { type: "object" } } },
    ];
    const stream = client.chat.completions.stream({
      model: "",
      messages: [{ role: "user", content: 'use tool search with {"q":"azure"}' }],
      tools,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    stream.on("chunk", (chunk) => chunks.push(chunk));
    const final = await stream.finalChatCompletion();
    expect(chunks[0]).toMatchObject({ choices: [], prompt_filter_results: [{ prompt_index: 0 }] });
    expect(final.choices[0]).toMatchObject({
      finish_reason: "tool_calls",
      message: { tool_calls: [{ type: "function", function: { name: "search", arguments: '{"q":"azure"}' } }] },
    });
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(countFakeTokens('search{"q":"azure"}'));
  });

  it("serves a deployment's embeddings", async () => {
    const result = await client.embeddings.create({
      model: "",
      input: "embed on azure",
      encoding_format: "float",
      dimensions: 6,
    });
    expect(result).toEqual({
      object: "list",
      model: "my-gpt4o",
      data: [{ object: "embedding", index: 0, embedding: Array.from(embeddingFor("embed on azure", 6)) }],
      usage: { prompt_tokens: countFakeTokens("embed on azure"), total_tokens: countFakeTokens("embed on azure") },
    });
    expect(fake.requests[0]?.path).toBe("/openai/deployments/my-gpt4o/embeddings");
  });

  it("refuses a wrong api-key with Azure's 401 body", async () => {
    const wrong = new AzureOpenAI({
      endpoint: fake.baseUrl,
      apiKey: "wrong",
      apiVersion: "2024-10-21",
      deployment: "my-gpt4o",
      maxRetries: 0,
    });
    const error = await wrong.chat.completions
      .create({ model: "", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({
      status: 401,
      error: {
        code: "401",
        message:
          "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
      },
    });
  });

  it("serves the resource's Responses API, the deployment named as the model, streamed or not", async () => {
    const resource = new AzureOpenAI({
      endpoint: fake.baseUrl,
      apiKey: fake.apiKey,
      apiVersion: "2025-04-01-preview",
      maxRetries: 0,
    });
    const response = await resource.responses.create({ model: "my-gpt4o", input: "Hi Azure" });
    expect(response).toMatchObject({ object: "response", status: "completed", model: "my-gpt4o", output_text: "echo: Hi Azure" });
    const streamed = await resource.responses.stream({ model: "my-gpt4o", input: "stream it" }).finalResponse();
    expect(streamed.output_text).toBe("echo: stream it");
    expect(fake.requests.map((r) => [r.path, r.query])).toEqual([
      ["/openai/responses", { "api-version": "2025-04-01-preview" }],
      ["/openai/responses", { "api-version": "2025-04-01-preview" }],
    ]);
  });

  it("answers a request without api-version with Azure's 404", async () => {
    const response = await fetch(`${fake.url}/openai/deployments/my-gpt4o/chat/completions`, {
      method: "POST",
      headers: { "api-key": fake.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "404", message: "Resource not found" } });
  });
});
