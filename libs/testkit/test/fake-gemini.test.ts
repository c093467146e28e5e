import { ApiError, type FunctionDeclaration, GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  countFakeTokens,
  embeddingFor,
  type FakeUpstream,
  IMAGE_TOKENS,
  startFakeUpstream,
} from "../src/fake-upstreams/index.js";
import { PNG_BASE64, PNG_BYTES } from "./support/sample-image.js";

const MODEL = "gemini-2.5-flash";
const DECLARATIONS: FunctionDeclaration[] = [
  {
    name: "get_weather",
    description: "Weather for a city",
    parametersJsonSchema: { type: "object", properties: { city: { type: "string" } } },
  },
  { name: "get_time", parametersJsonSchema: { type: "object", properties: { tz: { type: "string" } } } },
];
const TWO_TOOLS_PROMPT = 'use tool get_weather with {"city":"Paris"} and use tool get_time with {"tz":"CET"}';

describe("Gemini fake through the official @google/genai SDK", () => {
  let fake: FakeUpstream;
  let ai: GoogleGenAI;

  beforeAll(async () => {
    fake = await startFakeUpstream("gemini");
    ai = new GoogleGenAI({ apiKey: fake.apiKey, httpOptions: { baseUrl: fake.baseUrl } });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it("generates content with the echo reply and usage metadata, authenticated by x-goog-api-key", async () => {
    const response = await ai.models.generateContent({
      model: MODEL,
      contents: "Hello Gemini",
      config: { systemInstruction: "Be brief." },
    });
    const input = countFakeTokens("Be brief.") + countFakeTokens("Hello Gemini");
    const output = countFakeTokens("echo: Hello Gemini");
    expect(response.text).toBe("echo: Hello Gemini");
    expect(response.candidates).toEqual([
      { content: { parts: [{ text: "echo: Hello Gemini" }], role: "model" }, finishReason: "STOP", index: 0 },
    ]);
    expect(response.usageMetadata).toEqual({
      promptTokenCount: input,
      candidatesTokenCount: output,
      totalTokenCount: input + output,
      promptTokensDetails: [{ modality: "TEXT", tokenCount: input }],
    });
    expect(response.modelVersion).toBe(MODEL);
    expect(fake.requests[0]).toMatchObject({
      method: "POST",
      // @google/genai 3.x calls the v1 surface by default; the fake serves /v1 and /v1beta alike.
      path: `/v1/models/${MODEL}:generateContent`,
      headers: { "x-goog-api-key": fake.apiKey },
      body: {
        contents: [{ role: "user", parts: [{ text: "Hello Gemini" }] }],
        systemInstruction: { parts: [{ text: "Be brief." }] },
      },
    });
  });

  it("streams over SSE in several chunks, the last with finish reason and usage", async () => {
    const stream = await ai.models.generateContentStream({ model: MODEL, contents: "Stream this for me" });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.map((c) => c.text).join("")).toBe("echo: Stream this for me");
    expect(chunks.slice(0, -1).every((c) => c.candidates?.[0]?.finishReason === undefined && c.usageMetadata === undefined)).toBe(
      true,
    );
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe("STOP");
    expect(chunks.at(-1)?.usageMetadata?.candidatesTokenCount).toBe(countFakeTokens("echo: Stream this for me"));
    expect(fake.requests[0]).toMatchObject({ path: `/v1/models/${MODEL}:streamGenerateContent`, query: { alt: "sse" } });
  });

  it("streams a JSON array, element by element, without alt=sse", async () => {
    const response = await fetch(`${fake.url}/v1beta/models/${MODEL}:streamGenerateContent`, {
      method: "POST",
      headers: { "x-goog-api-key": fake.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "array please" }] }] }),
    });
    expect(response.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    const elements = (await response.json()) as {
      candidates: { content: { parts: { text: string }[] }; finishReason?: string }[];
    }[];
    expect(elements.length).toBeGreaterThan(1);
    expect(elements.map((e) => e.candidates[0]?.content.parts[0]?.text).join("")).toBe("echo: array please");
    expect(elements.at(-1)?.candidates[0]?.finishReason).toBe("STOP");
  });

  it("calls two functions in one turn, whole and streamed", async () => {
    const request = { model: MODEL, contents: TWO_TOOLS_PROMPT, config: { tools: [{ functionDeclarations: DECLARATIONS }] } };
    const expected = [
      { name: "get_weather", args: { city: "Paris" } },
      { name: "get_time", args: { tz: "CET" } },
    ];
    const whole = await ai.models.generateContent(request);
    expect(whole.functionCalls).toEqual(expected);
    const calls = [];
    for await (const chunk of await ai.models.generateContentStream(request)) calls.push(...(chunk.functionCalls ?? []));
    expect(calls).toEqual(expected);
  });

  it("answers function responses with their content", async () => {
    const response = await ai.models.generateContent({
      model: MODEL,
      config: { tools: [{ functionDeclarations: DECLARATIONS }] },
      contents: [
        { role: "user", parts: [{ text: TWO_TOOLS_PROMPT }] },
        { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }] },
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { result: "sunny" } } }] },
      ],
    });
    expect(response.text).toBe('tool get_weather returned: {"result":"sunny"}');
  });

  it("returns thought parts and thoughtsTokenCount when includeThoughts is set", async () => {
    const response = await ai.models.generateContent({
      model: MODEL,
      contents: "Ponder",
      config: { thinkingConfig: { includeThoughts: true } },
    });
    expect(response.candidates?.[0]?.content?.parts).toEqual([
      { text: "thinking about: Ponder", thought: true },
      { text: "echo: Ponder" },
    ]);
    expect(response.text).toBe("echo: Ponder");
    expect(response.usageMetadata?.thoughtsTokenCount).toBe(countFakeTokens("thinking about: Ponder"));
    expect(response.usageMetadata?.candidatesTokenCount).toBe(countFakeTokens("echo: Ponder"));
  });

  it("describes inline image data and stops at maxOutputTokens with MAX_TOKENS", async () => {
    const response = await ai.models.generateContent({
      model: MODEL,
      contents: [{ role: "user", parts: [{ text: "What?" }, { inlineData: { mimeType: "image/png", data: PNG_BASE64 } }] }],
    });
    expect(response.text).toBe(`echo: What?\nsaw image: image/png, ${PNG_BYTES} bytes`);
    expect(response.usageMetadata?.promptTokenCount).toBe(countFakeTokens("What?") + IMAGE_TOKENS);

    const cut = await ai.models.generateContent({
      model: MODEL,
      contents: "a long prompt to cut",
      config: { maxOutputTokens: 2 },
    });
    expect(cut.candidates?.[0]).toMatchObject({ finishReason: "MAX_TOKENS", content: { parts: [{ text: "echo: a " }] } });
  });

  it("embeds contents through batchEmbedContents with outputDimensionality", async () => {
    const result = await ai.models.embedContent({
      model: "gemini-embedding-001",
      contents: ["first", "second"],
      config: { outputDimensionality: 8 },
    });
    expect(result.embeddings).toEqual([
      { values: Array.from(embeddingFor("first", 8)) },
      { values: Array.from(embeddingFor("second", 8)) },
    ]);
    expect(fake.requests[0]?.path).toBe("/v1/models/gemini-embedding-001:batchEmbedContents");
  });

  it("embeds one content through embedContent, 3072 dimensions by default", async () => {
    const response = await fetch(`${fake.url}/v1beta/models/gemini-embedding-001:embedContent?key=${fake.apiKey}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: { parts: [{ text: "solo" }] } }),
    });
    const body = (await response.json()) as { embedding: { values: number[] } };
    expect(body.embedding.values).toEqual(Array.from(embeddingFor("solo", 3072)));
  });

  it("counts tokens with the same rule as usage", async () => {
    const counted = await ai.models.countTokens({ model: MODEL, contents: "Count these tokens, please" });
    expect(counted.totalTokens).toBe(countFakeTokens("Count these tokens, please"));
  });

  describe("errors", () => {
    it("refuses a wrong key with 400 API_KEY_INVALID", async () => {
      const wrong = new GoogleGenAI({ apiKey: "wrong-key", httpOptions: { baseUrl: fake.baseUrl } });
      const error = await wrong.models.generateContent({ model: MODEL, contents: "hi" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
      expect(JSON.parse((error as ApiError).message)).toEqual({
        error: {
          code: 400,
          message: "API key not valid. Please pass a valid API key.",
          status: "INVALID_ARGUMENT",
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.ErrorInfo",
              reason: "API_KEY_INVALID",
              domain: "googleapis.com",
              metadata: { service: "generativelanguage.googleapis.com" },
            },
          ],
        },
      });
    });

    it("refuses a request without any key with 403 PERMISSION_DENIED and accepts ?key=", async () => {
      const url = `${fake.url}/v1beta/models/${MODEL}:generateContent`;
      const body = JSON.stringify({ contents: [{ parts: [{ text: "hi" }] }] });
      const missing = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      expect(missing.status).toBe(403);
      expect(await missing.json()).toMatchObject({ error: { code: 403, status: "PERMISSION_DENIED" } });
      const viaQuery = await fetch(`${url}?key=${fake.apiKey}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(viaQuery.status).toBe(200);
    });

    it("sends a scripted 429 as RESOURCE_EXHAUSTED", async () => {
      fake.script({ error: { status: 429 } });
      const error = await ai.models.generateContent({ model: MODEL, contents: "hi" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(429);
      expect(JSON.parse((error as ApiError).message)).toEqual({
        error: { code: 429, message: "Resource has been exhausted (e.g. check quota).", status: "RESOURCE_EXHAUSTED" },
      });
    });
  });
});
