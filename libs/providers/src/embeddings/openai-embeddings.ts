/** OpenAI `/v1/embeddings` request validation and response building (the gateway's one embeddings surface). */
import * as v from "valibot";
import { parseRequestBody } from "../validation.js";

const tokenIds = v.array(v.pipe(v.number(), v.integer()));

export const OpenAiEmbeddingsRequestSchema = v.looseObject({
  model: v.pipe(v.string(), v.minLength(1, "must not be empty")),
  input: v.union([
    v.string(),
    v.pipe(v.array(v.string()), v.minLength(1, "must not be empty")),
    v.pipe(tokenIds, v.minLength(1, "must not be empty")),
    v.pipe(v.array(tokenIds), v.minLength(1, "must not be empty")),
  ]),
  encoding_format: v.optional(v.picklist(["float", "base64"])),
  dimensions: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  user: v.optional(v.string()),
});
export type OpenAiEmbeddingsRequest = v.InferOutput<typeof OpenAiEmbeddingsRequestSchema>;

export function decodeOpenAiEmbeddingsRequest(body: unknown): OpenAiEmbeddingsRequest {
  return parseRequestBody(OpenAiEmbeddingsRequestSchema, body);
}

/** OpenAI's base64 encoding: the vector as little-endian float32 bytes. */
export function embeddingToBase64(values: readonly number[]): string {
  const buffer = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) buffer.writeFloatLE(values[i] as number, i * 4);
  return buffer.toString("base64");
}

export function base64ToEmbedding(data: string): number[] {
  const buffer = Buffer.from(data, "base64");
  const out: number[] = [];
  for (let i = 0; i + 4 <= buffer.length; i += 4) out.push(buffer.readFloatLE(i));
  return out;
}

export function openAiEmbeddingsResponse(
  vectors: readonly (readonly number[])[],
  opts: { model: string; encodingFormat?: "float" | "base64"; promptTokens: number },
): Record<string, unknown> {
  return {
    object: "list",
    data: vectors.map((values, index) => ({
      object: "embedding",
      index,
      embedding: opts.encodingFormat === "base64" ? embeddingToBase64(values) : [...values],
    })),
    model: opts.model,
    usage: { prompt_tokens: opts.promptTokens, total_tokens: opts.promptTokens },
  };
}
