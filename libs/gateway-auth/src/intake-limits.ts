/**
 * Bounded memory under abuse: every request of a key takes one of the key's `perKeyConcurrency` slots for its whole
 * life, and every request body is counted against the process-wide `inFlightBodyBudgetBytes` while it is held
 * (from the first byte read until the upstream call is done). A request that would exceed either is refused at
 * once — 429 for the key's concurrency, 503 for the process budget — before its body is buffered, instead of the
 * process growing until it dies. Both limits come from the gateway settings and apply without a restart.
 *
 * A body costs more than its wire size while it is handled: the bytes, the parsed JSON, the body re-encoded for the
 * upstream and undici's copy in transit (measured: ~4–5× for a 31 MB body). The budget is charged that cost, so it
 * bounds the memory actually used rather than the bytes received.
 */
import type { IncomingMessage } from "node:http";
import { AppError } from "@thinkwatch/errors";
import { BodyChunks, collectChunks, nodeIncoming, parseJsonBody, requestHeader } from "@thinkwatch/http";
import type { Context } from "hono";

/** The two gateway settings the intake reads (read on every admission, so changes apply without a restart). */
export interface IntakeSettings {
  perKeyConcurrency: number;
  inFlightBodyBudgetBytes: number;
}

/** Memory one body byte costs while its request is handled (see above). */
export const BODY_MEMORY_FACTOR = 4;

/** A request body as read: its bytes and their JSON. */
export type ReadBody = { raw: Uint8Array; json: unknown };

export interface IntakeLease {
  /** Read the JSON body, counting its bytes against the process budget until `releaseBody()`. */
  readBody(c: Context, limitBytes: number): Promise<ReadBody>;
  /**
   * The same, the body handed to `finish` (a reader of the caller's own, run as the read ends) in the chunks it
   * arrived in instead of parsed whole: a large body is then never joined into one buffer.
   */
  readBodyChunks<T>(c: Context, limitBytes: number, finish: (body: BodyChunks) => T): Promise<T>;
  /** The body is no longer needed (the upstream call is over). */
  releaseBody(): void;
  /** The request is over: frees the key's slot (and the body bytes, if still held). */
  release(): void;
}

export interface IntakeLimits {
  /** One slot of this key's concurrency, or a 429 when the key has none left. */
  admit(keyId: string): IntakeLease;
  /** Memory charged for bodies held right now (for tests and metrics). */
  bytesInFlight(): number;
}

export function createIntakeLimits(settings: () => IntakeSettings): IntakeLimits {
  const perKey = new Map<string, number>();
  let bytesInFlight = 0;

  return {
    bytesInFlight: () => bytesInFlight,
    admit(keyId) {
      const limit = settings().perKeyConcurrency;
      const active = perKey.get(keyId) ?? 0;
      if (limit > 0 && active >= limit) {
        throw new AppError("rate_limited", `too many concurrent requests for this API key (limit ${limit})`, {
          details: { rule: "api_key_concurrency", limit, retryAfterSeconds: 1 },
        });
      }
      perKey.set(keyId, active + 1);
      let held = 0;
      let released = false;
      const reserve = (wireBytes: number) => {
        const bytes = wireBytes * BODY_MEMORY_FACTOR;
        const budget = settings().inFlightBodyBudgetBytes;
        if (bytesInFlight + bytes > budget) {
          throw new AppError("unavailable", "the gateway is at its in-flight request memory budget; retry shortly", {
            details: { rule: "in_flight_body_budget", retryAfterSeconds: 1 },
          });
        }
        bytesInFlight += bytes;
        held += bytes;
      };
      const releaseBody = () => {
        bytesInFlight -= held;
        held = 0;
      };
      const readBodyChunks = <T>(c: Context, limitBytes: number, finish: (body: BodyChunks) => T): Promise<T> => {
        // Not an async function: the Node path settles one promise of its own, and refusals still reject.
        const declared = Number(requestHeader(c, "content-length") ?? "NaN");
        if (Number.isFinite(declared) && declared > limitBytes) {
          return Promise.reject(
            new AppError("payload_too_large", `request body is ${declared} bytes; the limit is ${limitBytes} bytes`),
          );
        }
        // A declared length is reserved before reading a byte; a chunked body is reserved as it arrives.
        if (Number.isFinite(declared)) {
          try {
            reserve(declared);
          } catch (caught) {
            return Promise.reject(caught);
          }
        }
        return readCounted(c, limitBytes, Number.isFinite(declared) ? () => undefined : reserve, finish);
      };
      return {
        readBody: (c, limitBytes) => readBodyChunks(c, limitBytes, parsed),
        readBodyChunks,
        releaseBody,
        release() {
          if (released) return;
          released = true;
          releaseBody();
          const left = (perKey.get(keyId) ?? 1) - 1;
          if (left <= 0) perKey.delete(keyId);
          else perKey.set(keyId, left);
        },
      };
    },
  };
}

function readCounted<T>(
  c: Context,
  limitBytes: number,
  reserve: (bytes: number) => void,
  finish: (body: BodyChunks) => T,
): Promise<T> {
  const incoming: IncomingMessage | null = nodeIncoming(c);
  if (incoming !== null) return readNodeCounted(incoming, limitBytes, reserve, finish);
  return readWebCounted(c, limitBytes, reserve).then((raw) => finish(BodyChunks.of(raw)));
}

async function readWebCounted(c: Context, limitBytes: number, reserve: (bytes: number) => void): Promise<Uint8Array> {
  const source = c.req.raw.body as AsyncIterable<Uint8Array> | null;
  if (source === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > limitBytes) throw new AppError("payload_too_large", `request body exceeds the limit of ${limitBytes} bytes`);
    reserve(chunk.length);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks, total);
}

/**
 * The Node request's body by its events (an async iterator over the stream costs several promises per chunk). On a
 * refusal the rest of the upload is discarded by the server, not kept.
 */
function readNodeCounted<T>(
  incoming: IncomingMessage,
  limitBytes: number,
  reserve: (bytes: number) => void,
  finish: (body: BodyChunks) => T,
): Promise<T> {
  if (incoming.destroyed || incoming.readableEnded) {
    // Gone (or already read) before the gateway got to the body: nothing more will arrive.
    if (!(incoming.complete && incoming.readableEnded)) {
      return Promise.reject(new AppError("bad_request", "the client closed the request", { status: 499 }));
    }
    try {
      return Promise.resolve(finish(new BodyChunks([], 0)));
    } catch (caught) {
      return Promise.reject(caught);
    }
  }
  let total = 0;
  return collectChunks(incoming, {
    onChunk: (chunk) => {
      total += chunk.length;
      if (total > limitBytes) throw new AppError("payload_too_large", `request body exceeds the limit of ${limitBytes} bytes`);
      reserve(chunk.length);
    },
    // The client went away before the body was complete.
    closedEarly: () => new AppError("bad_request", "the client closed the request", { status: 499 }),
    finish,
  });
}

/** The body's bytes and their JSON (parsed as the read ends, in the same settlement): what `finish` is by default. */
function parsed(body: BodyChunks): ReadBody {
  const raw = body.bytes();
  return { raw, json: parseJsonBody(raw) };
}
