/**
 * Gemini's `:embedContent` and `:batchEmbedContents` (what the @google/genai SDK calls): deterministic vectors of
 * `outputDimensionality` (default 3072, gemini-embedding-001's size) per content's text.
 */
import * as v from "valibot";
import { embeddingFor } from "./embedding-vector.js";
import { parseRequestBody } from "./request-body.js";

export const DEFAULT_GEMINI_EMBEDDING_DIMENSIONS = 3072;

const EmbedContentSchema = v.looseObject({
  content: v.looseObject({ parts: v.array(v.looseObject({ text: v.optional(v.string()) })) }),
  outputDimensionality: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});
const BatchSchema = v.looseObject({ requests: v.pipe(v.array(EmbedContentSchema), v.minLength(1)) });

export function renderEmbedContent(body: unknown): Record<string, unknown> {
  return { embedding: embed(parseRequestBody(EmbedContentSchema, body)) };
}

export function renderBatchEmbedContents(body: unknown): Record<string, unknown> {
  return { embeddings: parseRequestBody(BatchSchema, body).requests.map(embed) };
}

function embed(request: v.InferOutput<typeof EmbedContentSchema>): { values: number[] } {
  const text = request.content.parts.map((p) => p.text ?? "").join("\n");
  return { values: Array.from(embeddingFor(text, request.outputDimensionality ?? DEFAULT_GEMINI_EMBEDDING_DIMENSIONS)) };
}
