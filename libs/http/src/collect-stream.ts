/**
 * A Node stream's whole content by its events: one promise per body, where an async iterator costs several promises
 * and ticks per chunk. Used for request bodies (intake) and upstream answers read whole.
 */
import type { Readable } from "node:stream";
import { BodyChunks } from "./body-chunks.js";

export interface CollectOptions<T> {
  /** Sees each chunk before it is kept; throwing refuses the body (the rest is drained and discarded). */
  onChunk?: (chunk: Buffer) => void;
  /** The rejection when the stream closes before its end without an error of its own. */
  closedEarly: () => unknown;
  /** Turns the bytes into the result in the same settlement (no promise more per body). */
  finish: (bytes: Buffer) => T;
  /** Maps any failure (the stream's error, a refused chunk, an early close) to the rejection. */
  failed?: (caught: unknown) => unknown;
}

export interface ChunkCollectOptions<T> extends Omit<CollectOptions<T>, "finish"> {
  finish: (body: BodyChunks) => T;
}

export function collectStream<T>(stream: Readable, options: CollectOptions<T>): Promise<T> {
  const finish = options.finish;
  return collectChunks(stream, { ...options, finish: (body) => finish(body.bytes()) });
}

/** The same, the content handed over as the chunks it arrived in (BodyChunks), not joined. */
export function collectChunks<T>(stream: Readable, options: ChunkCollectOptions<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
      stream.off("close", onClose);
    };
    const fail = (caught: unknown) => {
      cleanup();
      stream.resume();
      reject(options.failed === undefined ? caught : options.failed(caught));
    };
    const onData = (chunk: Buffer) => {
      if (options.onChunk !== undefined) {
        try {
          options.onChunk(chunk);
        } catch (caught) {
          fail(caught);
          return;
        }
      }
      total += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      try {
        resolve(options.finish(new BodyChunks(chunks, total)));
      } catch (caught) {
        reject(options.failed === undefined ? caught : options.failed(caught));
      }
    };
    const onError = (caught: unknown) => fail(caught);
    const onClose = () => fail(stream.errored ?? options.closedEarly());
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
    stream.on("close", onClose);
  });
}
