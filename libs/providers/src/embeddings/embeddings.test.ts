import { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import {
  decodeGeminiEmbeddingsRequest,
  decodeGeminiEmbeddingsResponse,
  encodeGeminiEmbeddingsRequest,
  encodeGeminiEmbeddingsResponse,
} from "./gemini-embeddings.js";
import { base64ToEmbedding, decodeOpenAiEmbeddingsRequest, embeddingToBase64 } from "./openai-embeddings.js";

describe("OpenAI embeddings requests", () => {
  it.each([
    ["a missing input", { model: "m" }, "invalid request: input is required"],
    ["an empty input list", { model: "m", input: [] }, "input"],
    [
      "an unknown encoding",
      { model: "m", input: "x", encoding_format: "hex" },
      'encoding_format must be one of "float" | "base64" (got "hex")',
    ],
    ["zero dimensions", { model: "m", input: "x", dimensions: 0 }, "dimensions"],
  ])("reject %s, naming the field", (_name, body, message) => {
    expect(() => decodeOpenAiEmbeddingsRequest(body)).toThrow(message);
  });
});

describe("OpenAI embeddings ⇄ Gemini batchEmbedContents", () => {
  it("maps each input to one request with the output dimensionality", () => {
    const req = decodeOpenAiEmbeddingsRequest({ model: "text-embedding-3-small", input: ["alpha", "beta"], dimensions: 256 });
    expect(encodeGeminiEmbeddingsRequest(req, { upstreamModel: "gemini-embedding-001" })).toEqual({
      requests: [
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "alpha" }] }, outputDimensionality: 256 },
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "beta" }] }, outputDimensionality: 256 },
      ],
    });
  });

  it("refuses token-id input, which Gemini cannot take", () => {
    const req = decodeOpenAiEmbeddingsRequest({ model: "m", input: [1, 2, 3] });
    expect(() => encodeGeminiEmbeddingsRequest(req, { upstreamModel: "g" })).toThrow(AppError);
  });

  it("maps Gemini vectors back to OpenAI's list, with an estimated token count", () => {
    const req = decodeOpenAiEmbeddingsRequest({ model: "text-embedding-3-small", input: ["alpha", "beta gamma"] });
    expect(
      decodeGeminiEmbeddingsResponse({ embeddings: [{ values: [0.5, -1] }, { values: [0.25, 2] }] }, req, {
        model: "text-embedding-3-small",
      }),
    ).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.5, -1] },
        { object: "embedding", index: 1, embedding: [0.25, 2] },
      ],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
  });

  it("encodes vectors as little-endian float32 base64 when asked, as OpenAI does", () => {
    const req = decodeOpenAiEmbeddingsRequest({ model: "m", input: "alpha", encoding_format: "base64" });
    const res = decodeGeminiEmbeddingsResponse({ embedding: { values: [0.5, -1] } }, req, { model: "m" }) as {
      data: Array<{ embedding: string }>;
    };
    expect(res.data[0]?.embedding).toBe("AAAAPwAAgL8=");
    expect(base64ToEmbedding(embeddingToBase64([0.5, -1, 3.25]))).toEqual([0.5, -1, 3.25]);
  });
});

describe("Gemini embedContent / batchEmbedContents ⇄ OpenAI", () => {
  it("reads a single embedContent request and answers with one embedding", () => {
    expect(
      decodeGeminiEmbeddingsRequest(
        { content: { parts: [{ text: "a" }, { text: "b" }] }, outputDimensionality: 64 },
        { model: "g", batch: false },
      ),
    ).toEqual({
      model: "g",
      input: ["a\nb"],
      dimensions: 64,
    });
    expect(encodeGeminiEmbeddingsResponse({ data: [{ index: 0, embedding: [1, 2] }] }, { batch: false })).toEqual({
      embedding: { values: [1, 2] },
    });
  });

  it("reads a batch request and answers in input order", () => {
    expect(
      decodeGeminiEmbeddingsRequest(
        { requests: [{ content: { parts: [{ text: "a" }] } }, { content: { parts: [{ text: "b" }] } }] },
        { model: "g", batch: true },
      ),
    ).toEqual({
      model: "g",
      input: ["a", "b"],
    });
    expect(
      encodeGeminiEmbeddingsResponse(
        {
          data: [
            { index: 1, embedding: [2] },
            { index: 0, embedding: [1] },
          ],
        },
        { batch: true },
      ),
    ).toEqual({
      embeddings: [{ values: [1] }, { values: [2] }],
    });
  });

  it("names the bad field of a Gemini request", () => {
    expect(() => decodeGeminiEmbeddingsRequest({ content: { parts: [] } }, { model: "g", batch: false })).toThrow(
      "content.parts: must not be empty",
    );
  });
});
