/**
 * Request/reply over one wildcard inbox subscription per connection. The client library's own request() allocates
 * an Error (for its stack) and a timer per call, which costs more CPU than the rest of a quota check; here a request
 * is one publish plus a map entry, and expiry is one sweep every 50 ms.
 *
 * A subject served by a service on this same connection (all-in-one mode: quota, key-service and the gateway in one
 * process) is answered in-process: the server gets the request's bytes and headers as NATS would have delivered them,
 * and its reply resolves the request, with the same timeout. That saves two trips through the NATS server (four
 * socket writes and the wake-ups of two processes) on every quota check of a governed request. A request larger than
 * the server's max_payload still goes to NATS, so it fails there as it would between processes.
 */
import { createInbox, type MsgHdrs, type NatsConnection, type Payload } from "@nats-io/transport-node";

export class RequestTimeoutError extends Error {
  override name = "RequestTimeoutError";
}

export class NoRespondersError extends Error {
  override name = "NoRespondersError";
}

/** What a requester reads of a reply. */
export interface ReplyMsg {
  data: Uint8Array;
  headers?: MsgHdrs | undefined;
}

/** What a server reads of a request and answers it with: a NATS message, or one the mux delivered in-process. */
export interface ServedMsg {
  data: Uint8Array;
  headers?: MsgHdrs | undefined;
  reply?: string | undefined;
  respond(payload?: Payload, options?: { headers?: MsgHdrs }): boolean;
}

interface Pending {
  resolve(msg: ReplyMsg): void;
  reject(error: Error): void;
  deadline: number;
  subject: string;
}

export interface RequestMux {
  request(subject: string, data: Uint8Array, timeoutMs: number, headers?: MsgHdrs): Promise<ReplyMsg>;
  /**
   * Answer requests for `subject` made on this connection in-process (the server also subscribes on NATS for the
   * others). The first server of a subject takes them; returns the function that stops it.
   */
  serveLocally(subject: string, deliver: (msg: ServedMsg) => void): () => void;
  close(): void;
}

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

const SWEEP_MS = 50;

export function createRequestMux(nc: NatsConnection): RequestMux {
  const prefix = `${createInbox()}.`;
  const pending = new Map<string, Pending>();
  let counter = 0;

  nc.subscribe(`${prefix}*`, {
    callback: (err, msg) => {
      if (err !== null) return;
      const token = msg.subject.slice(prefix.length);
      const entry = pending.get(token);
      if (entry === undefined) return; // Late reply to a request that already timed out.
      pending.delete(token);
      // The server answers a request nobody subscribes to with a 503 status message.
      if (msg.data.length === 0 && msg.headers?.code === 503)
        entry.reject(new NoRespondersError(`no responders for ${entry.subject}`));
      else entry.resolve(msg);
    },
  });

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [token, entry] of pending) {
      if (entry.deadline > now) continue;
      pending.delete(token);
      entry.reject(new RequestTimeoutError(`no reply from ${entry.subject} in time`));
    }
  }, SWEEP_MS);
  sweep.unref();

  const locals = new Map<string, (msg: ServedMsg) => void>();

  /** A request handed to an in-process server; its reply settles the pending entry, unless it expired first. */
  const deliverLocally = (deliver: (msg: ServedMsg) => void, token: string, data: Uint8Array, headers?: MsgHdrs) => {
    const msg: ServedMsg = {
      data,
      headers,
      reply: prefix + token,
      respond(payload = EMPTY, options) {
        const entry = pending.get(token);
        if (entry === undefined) return false;
        pending.delete(token);
        entry.resolve({ data: typeof payload === "string" ? encoder.encode(payload) : payload, headers: options?.headers });
        return true;
      },
    };
    // Never inside the requester's own call: the server starts on the next microtask, as if the message had arrived.
    queueMicrotask(() => deliver(msg));
  };

  return {
    request(subject, data, timeoutMs, headers) {
      return new Promise<ReplyMsg>((resolve, reject) => {
        counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
        const token = counter.toString(36);
        pending.set(token, { resolve, reject, deadline: Date.now() + timeoutMs, subject });
        const local = locals.get(subject);
        if (local !== undefined && data.length <= (nc.info?.max_payload ?? Number.POSITIVE_INFINITY)) {
          deliverLocally(local, token, data, headers);
          return;
        }
        try {
          nc.publish(subject, data, headers === undefined ? { reply: prefix + token } : { reply: prefix + token, headers });
        } catch (caught) {
          pending.delete(token);
          reject(caught as Error);
        }
      });
    },
    serveLocally(subject, deliver) {
      if (locals.has(subject)) return () => undefined;
      locals.set(subject, deliver);
      return () => {
        if (locals.get(subject) === deliver) locals.delete(subject);
      };
    },
    close() {
      clearInterval(sweep);
      for (const entry of pending.values()) entry.reject(new Error("connection closing"));
      pending.clear();
      locals.clear();
    },
  };
}
