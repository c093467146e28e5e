// A short request/response exchange over a raw TCP socket, used to probe PostgreSQL, Redis and NATS without any npm
// client (this runs before `npm install`). The caller supplies a reader that consumes bytes until it has an answer.
import net from "node:net";

/**
 * Connects, lets `start(write)` send the opening bytes, then feeds every received chunk (accumulated) to
 * `onData(buffer, write)` until it returns a non-undefined result.
 * Resolves `{ connected: false, reason }` when nothing listens, `{ connected: true, result }` otherwise.
 * @template T
 * @param {{ host: string, port: number, timeoutMs?: number,
 *   start?: (write: (data: string | Buffer) => void) => void,
 *   onData: (received: Buffer, write: (data: string | Buffer) => void) => T | undefined }} options
 * @returns {Promise<{ connected: false, reason: string } | { connected: true, result: T }>}
 */
export function socketDialog({ host, port, timeoutMs = 2000, start, onData }) {
  return new Promise((resolve) => {
    let connected = false;
    let received = Buffer.alloc(0);
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const write = (data) => socket.write(data);
    const timer = setTimeout(
      () =>
        finish(
          connected
            ? { connected: true, result: undefined, reason: `no complete answer within ${timeoutMs} ms` }
            : { connected: false, reason: `connect timed out after ${timeoutMs} ms` },
        ),
      timeoutMs,
    );
    socket.on("connect", () => {
      connected = true;
      start?.(write);
    });
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      let result;
      try {
        result = onData(received, write);
      } catch (caught) {
        finish({ connected: true, result: undefined, reason: caught instanceof Error ? caught.message : String(caught) });
        return;
      }
      if (result !== undefined) finish({ connected: true, result });
    });
    socket.on("error", (error) =>
      finish(
        connected
          ? { connected: true, result: undefined, reason: error.message }
          : { connected: false, reason: describeConnectError(error) },
      ),
    );
    socket.on("close", () =>
      finish(
        connected
          ? { connected: true, result: undefined, reason: "connection closed before an answer" }
          : { connected: false, reason: "closed" },
      ),
    );
  });
}

const CONNECT_ERRORS = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connect timed out",
};

/** Short human wording for why a connect failed, e.g. "connection refused". */
export function describeConnectError(error) {
  return CONNECT_ERRORS[error.code] ?? error.code ?? error.message;
}
