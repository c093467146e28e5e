/** Read a request body as JSON with a size limit, turning every failure into a 4xx AppError. */
import { AppError } from "@thinkwatch/errors";
import type { Context } from "hono";

export async function readJsonBody(c: Context, limitBytes: number): Promise<{ raw: Uint8Array; json: unknown }> {
  const declared = Number(c.req.header("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limitBytes) {
    throw new AppError("payload_too_large", `request body is ${declared} bytes; the limit is ${limitBytes} bytes`);
  }
  const raw = await readLimited(c.req.raw, limitBytes);
  if (raw.length === 0) throw new AppError("bad_request", "request body is empty; expected a JSON object");
  try {
    return { raw, json: JSON.parse(new TextDecoder().decode(raw)) };
  } catch (cause) {
    throw new AppError("bad_request", `request body is not valid JSON: ${(cause as Error).message}`);
  }
}

async function readLimited(request: Request, limitBytes: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limitBytes) {
      await reader.cancel().catch(() => undefined);
      throw new AppError("payload_too_large", `request body exceeds the limit of ${limitBytes} bytes`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
