/**
 * OpenAI embeddings ⇄ Gemini `batchEmbedContents` / `embedContent`, both directions: an OpenAI client calling a
 * Gemini upstream, and a Gemini client calling an OpenAI-format upstream. Gemini reports no token usage for
 * embeddings, so the OpenAI usage is the countTokensEstimate text rule applied to the inputs.
 */
import { AppError } from "@thinkwatch/errors";
import * as v from "valibot";
import { estimateTextTokens } from "../count-tokens/estimate.js";
import { parseUpstreamBody } from "../upstream-body.js";
import { parseRequestBody } from "../validation.js";
import type { OpenAiEmbeddingsRequest } from "./openai-embeddings.js";
import { openAiEmbeddingsResponse } from "./openai-embeddings.js";

const Values = v.looseObject({ values: v.array(v.number()) });
const GeminiBatchEmbedResponseSchema = v.looseObject({ embeddings: v.array(Values) });
const GeminiEmbedResponseSchema = v.looseObject({ embedding: Values });

const Content = v.looseObject({
  parts: v.pipe(v.array(v.looseObject({ text: v.string() })), v.minLength(1, "must not be empty")),
});
const EmbedRequest = v.looseObject({
  content: Content,
  outputDimensionality: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});
const BatchEmbedRequest = v.looseObject({ requests: v.pipe(v.array(EmbedRequest), v.minLength(1, "must not be empty")) });

/** OpenAI input as texts; token-id input has no Gemini equivalent. */
export function embeddingInputs(req: OpenAiEmbeddingsRequest): string[] {
  if (typeof req.input === "string") return [req.input];
  if (req.input.every((item) => typeof item === "string")) return req.input as string[];
  throw new AppError("bad_request", "input as token ids is not supported when the upstream API is gemini: send text", {
    details: { param: "input" },
  });
}

/** An OpenAI embeddings request → the body of Gemini `models/{model}:batchEmbedContents`. */
export function encodeGeminiEmbeddingsRequest(
  req: OpenAiEmbeddingsRequest,
  opts: { upstreamModel: string },
): Record<string, unknown> {
  return {
    requests: embeddingInputs(req).map((text) => {
      const item: Record<string, unknown> = { model: `models/${opts.upstreamModel}`, content: { parts: [{ text }] } };
      if (req.dimensions !== undefined) item.outputDimensionality = req.dimensions;
      return item;
    }),
  };
}

/** A Gemini embeddings reply (batch or single) → the OpenAI reply for the original request. */
export function decodeGeminiEmbeddingsResponse(
  body: unknown,
  req: OpenAiEmbeddingsRequest,
  opts: { model: string },
): Record<string, unknown> {
  const isBatch = typeof body === "object" && body !== null && "embeddings" in body;
  const vectors = isBatch
    ? parseUpstreamBody(GeminiBatchEmbedResponseSchema, body, "the Gemini upstream").embeddings.map((item) => item.values)
    : [parseUpstreamBody(GeminiEmbedResponseSchema, body, "the Gemini upstream").embedding.values];
  const promptTokens = embeddingInputs(req).reduce((sum, text) => sum + estimateTextTokens(text), 0);
  const format = req.encoding_format;
  return openAiEmbeddingsResponse(
    vectors,
    format === undefined ? { model: opts.model, promptTokens } : { model: opts.model, promptTokens, encodingFormat: format },
  );
}

/** A Gemini client's embedContent (`batch: false`) or batchEmbedContents body → an OpenAI embeddings request. */
export function decodeGeminiEmbeddingsRequest(body: unknown, opts: { model: string; batch: boolean }): OpenAiEmbeddingsRequest {
  const requests = opts.batch ? parseRequestBody(BatchEmbedRequest, body).requests : [parseRequestBody(EmbedRequest, body)];
  const out: OpenAiEmbeddingsRequest = {
    model: opts.model,
    input: requests.map((request) => request.content.parts.map((part) => part.text).join("\n")),
  };
  const dimensions = requests[0]?.outputDimensionality;
  if (dimensions !== undefined) out.dimensions = dimensions;
  return out;
}

const OpenAiEmbeddingsResponseSchema = v.looseObject({
  data: v.array(v.looseObject({ index: v.optional(v.number()), embedding: v.array(v.number()) })),
});

/** An OpenAI-format upstream's float embeddings reply → the Gemini reply (single or batch). */
export function encodeGeminiEmbeddingsResponse(body: unknown, opts: { batch: boolean }): Record<string, unknown> {
  const res = parseUpstreamBody(OpenAiEmbeddingsResponseSchema, body, "the OpenAI-compatible upstream");
  const sorted = [...res.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const embeddings = sorted.map((item) => ({ values: item.embedding }));
  return opts.batch ? { embeddings } : { embedding: embeddings[0] ?? { values: [] } };
}
