/** The two shapes a POST's answer can take under Streamable HTTP: an SSE stream, or one JSON body at the end. */
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Exchange, StreamSink } from "../session/session-transport.js";

const encoder = new TextEncoder();

export function sseFrame(message: JSONRPCMessage): Uint8Array {
  return encoder.encode(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
}

/** An SSE response body fed by the session; closes when every awaited answer was written. */
export function createSseExchange(): { exchange: Exchange; body: ReadableStream<Uint8Array> } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      open = false;
    },
  });
  return {
    body,
    exchange: {
      streaming: true,
      write(message) {
        if (open) controller.enqueue(sseFrame(message));
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
      write(message) {
        if (!open) return;
        try {
          controller.enqueue(sseFrame(message));
        } catch {
          close();
        }
      },
    },
  };
}
