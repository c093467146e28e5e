/**
 * A response body made chunk by chunk (a streamed generation). On the Node server the head and every chunk are
 * written straight to the client's socket: no ReadableStream in between and no read-ahead by @hono/node-server (which
 * holds the first chunk back for a timer tick while it looks for a second one to compute a content length). The
 * handler then returns `ALREADY_SENT`, which the server and the app's middleware pass over. Elsewhere (an app driven
 * by `app.request` in a test) the same source becomes a ReadableStream body.
 */
import type { ServerResponse } from "node:http";
import type { Context } from "hono";
import { carryingRequestId } from "./request-id.js";

/** A body produced on demand: `next` resolves null after the last chunk and never rejects; `cancel` when the client goes away first. */
export interface ChunkSource {
  next(): Promise<Uint8Array | null>;
  cancel(): void;
}

export interface StreamedHead {
  status: number;
  headers: Record<string, string>;
}

/** @hono/node-server's marker for "the handler wrote the response itself" (its RESPONSE_ALREADY_SENT). */
const ALREADY_SENT = carryingRequestId(new Response(null, { headers: { "x-hono-already-sent": "true" } }));

/** The Node response behind a Hono context, when the app runs on @hono/node-server. */
export function nodeOutgoing(c: Context): ServerResponse | null {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  return outgoing !== undefined && typeof outgoing.once === "function" ? outgoing : null;
}

/**
 * Answers with `head` and the chunks of `source`. `onFailure` hears of a write that threw (the socket's own errors
 * close it, which cancels the source).
 */
export function streamedResponse(
  c: Context,
  head: StreamedHead,
  source: ChunkSource,
  onFailure: (caught: unknown) => void,
): Response {
  const outgoing = nodeOutgoing(c);
  if (outgoing === null || outgoing.headersSent) {
    return new Response(readableOf(source), { status: head.status, headers: head.headers });
  }
  try {
    outgoing.writeHead(head.status, head.headers);
    // The head leaves now: a client learns the stream started even when the first token is slow to come.
    outgoing.flushHeaders();
  } catch (caught) {
    // A head Node refuses (a header value it cannot send): nothing went out, the caller answers with the error.
    source.cancel();
    throw caught;
  }
  writeToNode(outgoing, source).catch((caught: unknown) => {
    source.cancel();
    outgoing.destroy();
    onFailure(caught);
  });
  return ALREADY_SENT;
}

async function writeToNode(outgoing: ServerResponse, source: ChunkSource): Promise<void> {
  let gone = false;
  let wake: (() => void) | null = null;
  const closed = () => {
    if (!outgoing.writableFinished && !gone) {
      gone = true;
      source.cancel();
    }
    wake?.();
  };
  if (outgoing.destroyed) closed();
  else outgoing.once("close", closed);
  try {
    for (;;) {
      if (gone) return;
      const chunk = await source.next();
      if (gone) return;
      if (chunk === null) {
        outgoing.end();
        return;
      }
      if (!outgoing.write(chunk)) {
        // The client reads slower than the upstream writes: the next chunk is asked for once the socket drains.
        await new Promise<void>((resolve) => {
          const drained = () => {
            outgoing.off("drain", drained);
            wake = null;
            resolve();
          };
          wake = drained;
          outgoing.on("drain", drained);
        });
      }
    }
  } finally {
    if (!gone) outgoing.off("close", closed);
  }
}

function readableOf(source: ChunkSource): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await source.next();
      if (chunk === null) controller.close();
      else controller.enqueue(chunk);
    },
    cancel() {
      source.cancel();
    },
  });
}
