/**
 * Deterministic unit-length embedding vectors: the same text always maps to the same vector, different texts
 * to different ones, so tests can compare what the gateway returns with what the fake computed.
 */
import { createHash } from "node:crypto";

export function embeddingFor(text: string, dimensions: number): Float32Array {
  const out = new Float32Array(dimensions);
  let block = Buffer.alloc(0);
  let sumSquares = 0;
  for (let i = 0; i < dimensions; i++) {
    const offset = (i * 2) % 32;
    if (offset === 0)
      block = createHash("sha256")
        .update(`${text}\u0000${i / 16}`)
        .digest();
    const value = block.readInt16LE(offset) / 32768;
    out[i] = value;
    sumSquares += value * value;
  }
  const norm = Math.sqrt(sumSquares) || 1;
  for (let i = 0; i < dimensions; i++) out[i] = (out[i] as number) / norm;
  return out;
}

/** The little-endian float32 bytes, base64-encoded: OpenAI's `encoding_format: "base64"`. */
export function embeddingToBase64(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64");
}
