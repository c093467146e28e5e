/**
 * Request/reply over one wildcard inbox subscription per connection. The client library's own request() allocates
 * an Error (for its stack) and a timer per call, which costs more CPU than the rest of a quota check; here a request
 * is one publish plus a map entry, and expiry is one sweep every 50 ms.
 */
import { createInbox, type Msg, type MsgHdrs, type NatsConnection } from "@nats-io/transport-node";

export class RequestTimeoutError extends Error {
  override name = "RequestTimeoutError";
}

export class NoRespondersError extends Error {
  override name = "NoRespondersError";
}

interface Pending {
  resolve(msg: Msg): void;
  reject(error: Error): void;
  deadline: number;
  subject: string;
}

export interface RequestMux {
  request(subject: string, data: Uint8Array, timeoutMs: number, headers?: MsgHdrs): Promise<Msg>;
  close(): void;
}

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

  return {
    request(subject, data, timeoutMs, headers) {
      return new Promise<Msg>((resolve, reject) => {
        counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
        const token = counter.toString(36);
        pending.set(token, { resolve, reject, deadline: Date.now() + timeoutMs, subject });
        try {
          nc.publish(subject, data, headers === undefined ? { reply: prefix + token } : { reply: prefix + token, headers });
        } catch (caught) {
          pending.delete(token);
          reject(caught as Error);
        }
      });
    },
    close() {
      clearInterval(sweep);
      for (const entry of pending.values()) entry.reject(new Error("connection closing"));
      pending.clear();
    },
  };
}
