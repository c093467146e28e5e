/**
 * Read a request body as JSON with a size limit, turning every failure into a 4xx AppError. On Node the bytes are
 * read straight from the IncomingMessage: touching `c.req.raw.body` makes @hono/node-server build a full WHATWG
 * Request, which costs more CPU than the rest of a proxied request.
 */

import type { IncomingMessage } from "node:http";
import { AppError } from "@thinkwatch/errors";
import type { Context } from "hono";
import type { BodyChunks } from "./body-chunks.js";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "./json-depth.js";
import { parseJsonBytes, parseJsonObjectSkipping } from "./parse-json-bytes.js";

export async function readJsonBody(c: Context, limitBytes: number): Promise<{ raw: Uint8Array; json: unknown }> {
  const declared = Number(c.req.header("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limitBytes) {
    throw new AppError("payload_too_large", `request body is ${declared} bytes; the limit is ${limitBytes} bytes`);
  }
  const incoming = nodeIncoming(c);
  const raw = incoming === null ? await readWebLimited(c.req.raw, limitBytes) : await readNodeLimited(incoming, limitBytes);
  return { raw, json: parseJsonBody(raw) };
}

/** Parse body bytes already read (within their limit) as JSON: 400 when empty, invalid or nested too deep. */
export function parseJsonBody(raw: Uint8Array): unknown {
  if (raw.length === 0) throw new AppError("bad_request", "request body is empty; expected a JSON object");
  let json: unknown;
  try {
    json = parseJsonBytes(raw);
  } catch (cause) {
    throw new AppError("bad_request", `request body is not valid JSON: ${(cause as Error).message}`);
  }
  if (exceedsJsonDepth(json)) {
    throw new AppError("bad_request", `request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return json;
}

/**
 * A targeted read of a JSON object body (parseJsonObjectSkipping): its members other than `skip`, or undefined when
 * they cannot be read that way (not one JSON object, or nested too deep) and parseJsonBody must judge the body.
 */
export function parseJsonBodySkipping(
  raw: Uint8Array | BodyChunks,
  skip: ReadonlySet<string>,
): { members: Record<string, unknown>; skipped: Set<string> } | undefined {
  const read = parseJsonObjectSkipping(raw, skip);
  return read === undefined || exceedsJsonDepth(read.members) ? undefined : read;
}

/** The Node request behind a Hono context, when the app runs on @hono/node-server. */
export function nodeIncoming(c: Context): IncomingMessage | null {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming !== undefined && typeof incoming.on === "function" ? incoming : null;
}

async function readNodeLimited(incoming: IncomingMessage, limitBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limitBytes) {
      incoming.resume();
      throw new AppError("payload_too_large", `request body exceeds the limit of ${limitBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

async function readWebLimited(request: Request, limitBytes: number): Promise<Uint8Array> {
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
