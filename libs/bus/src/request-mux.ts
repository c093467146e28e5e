/**
 * Request/reply over one wildcard inbox subscription per connection. The client library's own request() allocates
 * an Error (for its stack) and a timer per call, which costs more CPU than the rest of a quota check; here a request
 * is one publish plus a map entry, and expiry is one sweep every 50 ms.
 *
 * A subject served by a service on this same connection (all-in-one mode: quota, key-service and the gateway in one
 * process) is answered in-process, with the same timeout. That saves two trips through the NATS server (four socket
 * writes and the wake-ups of two processes) on every quota check of a governed request. A request made as bytes
 * (`request`) reaches the server as the bytes and headers NATS would have delivered, and one larger than the
 * server's max_payload still goes to NATS, so it fails there as it would between processes. A request made as a value
 * (`requestLocally`, the bus's typed requests) is never encoded: the server gets the value itself and answers with a
 * value, so neither side turns the other's object into JSON and back. Nothing crosses NATS then, so its max_payload
 * does not apply.
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
  /** Set when an in-process server answered a value request with `respondValue`: the reply itself, not encoded. */
  local?: { value: unknown } | undefined;
}

/** What a server reads of a request and answers it with: a NATS message, or one the mux delivered in-process. */
export interface ServedMsg {
  data: Uint8Array;
  headers?: MsgHdrs | undefined;
  reply?: string | undefined;
  respond(payload?: Payload, options?: { headers?: MsgHdrs }): boolean;
  /** A value request delivered in-process: the request itself (`data` is then empty). */
  local?: { value: unknown } | undefined;
  /** Present with `local`: answers with a value the requester gets as it is. */
  respondValue?: ((value: unknown) => boolean) | undefined;
}

interface Pending {
  resolve(msg: ReplyMsg): void;
  reject(error: Error): void;
  deadline: number;
  subject: string;
}

export interface RequestMux {
  request(subject: string, data: Uint8Array, timeoutMs: number, headers?: MsgHdrs): Promise<ReplyMsg>;
  /** Whether a server on this connection answers `subject` in-process. */
  servedLocally(subject: string): boolean;
  /** A request of a value, handed as it is to the in-process server of `subject` (see `servedLocally`). */
  requestLocally(subject: string, value: unknown, timeoutMs: number, headers?: MsgHdrs): Promise<ReplyMsg>;
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
  const deliverLocally = (
    deliver: (msg: ServedMsg) => void,
    token: string,
    data: Uint8Array,
    headers: MsgHdrs | undefined,
    local: { value: unknown } | undefined,
  ) => {
    const settle = (reply: ReplyMsg) => {
      const entry = pending.get(token);
      if (entry === undefined) return false;
      pending.delete(token);
      entry.resolve(reply);
      return true;
    };
    const msg: ServedMsg = {
      data,
      headers,
      reply: prefix + token,
      local,
      respond: (payload = EMPTY, options) =>
        settle({ data: typeof payload === "string" ? encoder.encode(payload) : payload, headers: options?.headers }),
      respondValue: local === undefined ? undefined : (value) => settle({ data: EMPTY, local: { value } }),
    };
    // Never inside the requester's own call: the server starts on the next microtask, as if the message had arrived.
    queueMicrotask(() => deliver(msg));
  };

  /** Registers the pending request; its token. */
  const open = (subject: string, timeoutMs: number, resolve: (msg: ReplyMsg) => void, reject: (error: Error) => void) => {
    counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
    const token = counter.toString(36);
    pending.set(token, { resolve, reject, deadline: Date.now() + timeoutMs, subject });
    return token;
  };

  const publish = (
    subject: string,
    token: string,
    data: Uint8Array,
    headers: MsgHdrs | undefined,
    reject: (error: Error) => void,
  ) => {
    try {
      nc.publish(subject, data, headers === undefined ? { reply: prefix + token } : { reply: prefix + token, headers });
    } catch (caught) {
      pending.delete(token);
      reject(caught as Error);
    }
  };

  return {
    request(subject, data, timeoutMs, headers) {
      return new Promise<ReplyMsg>((resolve, reject) => {
        const token = open(subject, timeoutMs, resolve, reject);
        const local = locals.get(subject);
        if (local !== undefined && data.length <= (nc.info?.max_payload ?? Number.POSITIVE_INFINITY)) {
          deliverLocally(local, token, data, headers, undefined);
          return;
        }
        publish(subject, token, data, headers, reject);
      });
    },
    servedLocally: (subject) => locals.has(subject),
    requestLocally(subject, value, timeoutMs, headers) {
      return new Promise<ReplyMsg>((resolve, reject) => {
        const local = locals.get(subject);
        if (local === undefined) {
          reject(new NoRespondersError(`no in-process server of ${subject}`));
          return;
        }
        deliverLocally(local, open(subject, timeoutMs, resolve, reject), EMPTY, headers, { value });
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
