/**
 * Cancellation on the request path without an AbortController per request. `AbortLike` is the part of an
 * AbortSignal that the gateway's upstream calls use (undici accepts it as a request's signal); `Abort` is a plain
 * flag with listeners that satisfies it — an AbortController builds an EventTarget and its signal, which cost more
 * than the rest of a pass-through request's bookkeeping. `clientAbort(c)` is aborted when the client goes away
 * before its answer is finished.
 */
import type { Context } from "hono";
import { nodeOutgoing } from "./streamed-response.js";

/** What code that must stop reads of an abort: satisfied by an AbortSignal and by `Abort`. */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** An abort flag and its listeners; each listener runs once, on the first `abort`. */
export class Abort implements AbortLike {
  aborted = false;
  reason: unknown = undefined;
  #listeners: Array<() => void> = [];

  addEventListener(_type: "abort", listener: () => void): void {
    if (!this.aborted) this.#listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const at = this.#listeners.indexOf(listener);
    if (at >= 0) this.#listeners.splice(at, 1);
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason ?? new DOMException("This operation was aborted", "AbortError");
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
}

/**
 * Aborted when the client's connection closes before the answer is finished. On the Node server this listens to
 * the response's close; elsewhere (a request built in a test with `app.request`) it is the request's own signal.
 */
export function clientAbort(c: Context): AbortLike {
  const outgoing = nodeOutgoing(c);
  if (outgoing === null) return c.req.raw.signal;
  const abort = new Abort();
  const closed = () => {
    if (!outgoing.writableFinished) abort.abort(new DOMException("the client closed the request", "AbortError"));
  };
  if (outgoing.destroyed) closed();
  else outgoing.once("close", closed);
  return abort;
}
