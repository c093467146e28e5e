import Anthropic from "@anthropic-ai/sdk";
import { BedrockRuntimeClient, ConverseStreamCommand, ThrottlingException } from "@aws-sdk/client-bedrock-runtime";
import { GoogleGenAI } from "@google/genai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUpstream, type FakeUpstreamKind, startFakeUpstream } from "../src/fake-upstreams/index.js";

/** Drains a stream, returning how many items arrived and what it threw. */
async function drain(stream: AsyncIterable<unknown> | Iterable<unknown>): Promise<{ received: number; error: unknown }> {
  let received = 0;
  try {
    for await (const _ of stream) received++;
    return { received, error: undefined };
  } catch (error) {
    return { received, error };
  }
}

const fakes = new Map<FakeUpstreamKind, FakeUpstream>();
const fake = (kind: FakeUpstreamKind) => fakes.get(kind) as FakeUpstream;

describe("a scripted mid-stream error reaches the official SDKs as the provider's in-stream error", () => {
  beforeAll(async () => {
    for (const kind of ["openai", "anthropic", "gemini", "bedrock"] as const) fakes.set(kind, await startFakeUpstream(kind));
  });
  afterAll(async () => {
    for (const f of fakes.values()) await f.close();
  });

  it("OpenAI chat completions: an error data event that the SDK raises as APIError", async () => {
    const f = fake("openai");
    f.script({ midStreamError: { afterChunks: 2, status: 500, message: "The server had an error mid-stream" } });
    const client = new OpenAI({ apiKey: f.apiKey, baseURL: f.baseUrl, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "a long enough reply" }],
      stream: true,
    });
    const { received, error } = await drain(stream);
    expect(received).toBe(2);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({
      error: { message: "The server had an error mid-stream", type: "server_error", param: null, code: null },
    });
  });

  it("OpenAI Responses: an error event that the SDK raises", async () => {
    const f = fake("openai");
    f.script({ midStreamError: { afterChunks: 3, status: 500 } });
    const client = new OpenAI({ apiKey: f.apiKey, baseURL: f.baseUrl, maxRetries: 0 });
    const stream = await client.responses.create({ model: "gpt-4o", input: "a long enough reply", stream: true });
    const { received, error } = await drain(stream);
    expect(received).toBe(3);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain("The server had an error while processing your request");
  });

  it("Anthropic: an `event: error` that the SDK raises as an overloaded APIError", async () => {
    const f = fake("anthropic");
    // message_start, content_block_start, ping, one text delta; the SDK does not surface the ping.
    f.script({ midStreamError: { afterChunks: 4, status: 529 } });
    const client = new Anthropic({ apiKey: f.apiKey, baseURL: f.baseUrl, maxRetries: 0 });
    const stream = await client.messages.create({
      model: "claude-sonnet-5-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "a long enough reply" }],
      stream: true,
    });
    const { received, error } = await drain(stream);
    expect(received).toBe(3);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ error: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } } });
  });

  it("Gemini: an error object in the SSE stream that the SDK raises", async () => {
    const f = fake("gemini");
    f.script({ midStreamError: { afterChunks: 2, status: 503 } });
    const ai = new GoogleGenAI({ apiKey: f.apiKey, httpOptions: { baseUrl: f.baseUrl } });
    const { received, error } = await drain(
      await ai.models.generateContentStream({ model: "gemini-2.5-flash", contents: "a long enough reply" }),
    );
    expect(received).toBe(2);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain("The model is overloaded. Please try again later.");
  });

  it("Bedrock: an exception frame that the SDK raises as its modelled ThrottlingException", async () => {
    const f = fake("bedrock");
    f.script({ midStreamError: { afterChunks: 2, status: 429, message: "Slow down" } });
    const client = new BedrockRuntimeClient({
      region: f.region,
      endpoint: f.baseUrl,
      credentials: f.awsCredentials,
      maxAttempts: 1,
    });
    try {
      const response = await client.send(
        new ConverseStreamCommand({
          modelId: "amazon.nova-lite-v1:0",
          messages: [{ role: "user", content: [{ text: "a long enough reply" }] }],
        }),
      );
      const { received, error } = await drain(response.stream ?? []);
      expect(received).toBe(2);
      expect(error).toBeInstanceOf(ThrottlingException);
      expect(error).toMatchObject({ message: "Slow down" });
    } finally {
      client.destroy();
    }
  });
});
