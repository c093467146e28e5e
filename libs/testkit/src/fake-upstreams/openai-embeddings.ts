/**
 * OpenAI's `POST /embeddings` (also Azure's and OpenAI-compatible servers'): deterministic vectors, float or
 * base64 (`encoding_format`; the OpenAI SDK asks for base64 by default), `dimensions` honoured.
 */
import * as v from "valibot";
import { embeddingFor, embeddingToBase64 } from "./embedding-vector.js";
import { parseRequestBody } from "./request-body.js";
import { countFakeTokens } from "./usage-rule.js";

export const DEFAULT_EMBEDDING_DIMENSIONS = 1536;

const EmbeddingsRequestSchema = v.looseObject({
  model: v.optional(v.string()),
  input: v.union([v.string(), v.array(v.string()), v.array(v.number()), v.array(v.array(v.number()))]),
  encoding_format: v.optional(v.picklist(["float", "base64"])),
  dimensions: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});

export function renderEmbeddings(body: unknown, modelOverride?: string): Record<string, unknown> {
  const request = parseRequestBody(EmbeddingsRequestSchema, body);
  const inputs: (string | number[])[] =
    typeof request.input === "string"
      ? [request.input]
      : request.input.length > 0 && typeof request.input[0] === "number"
        ? [request.input as number[]]
        : (request.input as (string | number[])[]);
  const dimensions = request.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  let tokens = 0;
  const data = inputs.map((input, index) => {
    tokens += typeof input === "string" ? countFakeTokens(input) : input.length;
    const vector = embeddingFor(typeof input === "string" ? input : input.join(","), dimensions);
    return {
      object: "embedding",
      index,
      embedding: request.encoding_format === "base64" ? embeddingToBase64(vector) : Array.from(vector),
    };
  });
  return {
    object: "list",
    data,
    model: modelOverride ?? request.model ?? "",
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
