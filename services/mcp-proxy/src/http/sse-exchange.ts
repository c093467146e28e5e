/** The two shapes a POST's answer can take under Streamable HTTP: an SSE stream, or one JSON body at the end. */
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Exchange, StreamSink } from "../session/session-transport.js";

const encoder = new TextEncoder();

export function sseFrame(message: JSONRPCMessage, eventId: string | null = null): Uint8Array {
  const id = eventId === null ? "" : `id: ${eventId}\n`;
  return encoder.encode(`${id}event: message\ndata: ${JSON.stringify(message)}\n\n`);
}

/** Keeps each event of one SSE stream for a resuming client and gives its id at once (see redis-event-store.ts). */
export type EventRecorder = (message: JSONRPCMessage) => string;

/**
 * An SSE response body fed by the session; closes when every awaited answer was written. With a recorder, every
 * event is kept (also after the client went away, for its resumption) and carries its id, and what comes after the
 * client went away goes to `orphaned` — the session's stream, where a client resuming with Last-Event-ID gets it.
 */
export function createSseExchange(
  record: EventRecorder | null = null,
  orphaned: (message: JSONRPCMessage, eventId: string) => void = () => undefined,
): {
  exchange: Exchange;
  body: ReadableStream<Uint8Array>;
} {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  let gone = false;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      open = false;
      gone = true;
    },
  });
  return {
    body,
    exchange: {
      streaming: true,
      write(message) {
        const id = record === null ? null : record(message);
        if (open) controller.enqueue(sseFrame(message, id));
        else if (gone && id !== null) orphaned(message, id);
      },
      finish() {
        if (!open) return;
        open = false;
        controller.close();
      },
    },
  };
}

/** A JSON exchange: resolves with the answers (one object, or an array for a batch) once all arrived. */
export function createJsonExchange(batch: boolean): { exchange: Exchange; answers: Promise<unknown> } {
  const collected: JSONRPCMessage[] = [];
  let resolve!: (value: unknown) => void;
  const answers = new Promise<unknown>((r) => {
    resolve = r;
  });
  return {
    answers,
    exchange: {
      streaming: false,
      write(message) {
        if ("id" in message && !("method" in message)) collected.push(message);
      },
      finish() {
        resolve(batch ? collected : (collected[0] ?? null));
      },
    },
  };
}

/** The standalone GET stream of a session, with keep-alive comments so idle proxies keep it open. */
export function createStandaloneStream(
  keepAliveMs: number,
  onClose: () => void,
): { sink: StreamSink; body: ReadableStream<Uint8Array> } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let timer: NodeJS.Timeout | undefined;
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    clearInterval(timer);
    onClose();
  };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      timer = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": keep-alive\n\n"));
        } catch {
          close();
        }
      }, keepAliveMs);
      timer.unref();
    },
    cancel: close,
  });
  return {
    body,
    sink: {
      write(message, eventId) {
        if (!open) return;
        try {
          controller.enqueue(sseFrame(message, eventId ?? null));
        } catch {
          close();
        }
      },
    },
  };
}
