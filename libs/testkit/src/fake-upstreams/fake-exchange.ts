/**
 * One request/response as the fake protocols see it, the same over HTTP/1.1 and HTTP/2 (the AWS SDK talks h2c to
 * a plain-http endpoint). Protocol code reads the recorded request and writes through this interface only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Http2ServerRequest, type Http2ServerResponse, constants as http2Constants } from "node:http2";

export interface RecordedRequest {
  method: string;
  /** The path as received, still percent-encoded, without the query. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names; HTTP/2 pseudo-headers left out (`:authority` becomes `host`). */
  headers: Record<string, string>;
  /** The JSON body parsed, or undefined when the body is empty or not JSON. */
  body: unknown;
  rawBody: string;
  /** HTTP version the client used: "1.1" or "2.0". */
  httpVersion: string;
  /** Epoch ms the request (headers and body) had fully arrived. */
  receivedAt: number;
}

export interface FakeExchange {
  readonly request: RecordedRequest;
  /** Raw target (`/path?query`) exactly as received, for signature checks. */
  readonly target: string;
  readonly bodyBytes: Uint8Array;
  send(status: number, headers: Record<string, string>, body: string | Uint8Array): void;
  startStream(status: number, headers: Record<string, string>): void;
  /** A whole stream in one go: every chunk still framed separately, but handed to the socket in one write. */
  sendChunks(status: number, headers: Record<string, string>, chunks: readonly (string | Uint8Array)[]): void;
  /** Resolves once the chunk is handed to the socket (waits for drain under backpressure). */
  write(chunk: string | Uint8Array): Promise<void>;
  end(): void;
  /** Closes the connection (HTTP/1.1) or resets the stream (HTTP/2) without finishing the response. */
  abort(): void;
  /** Destroys the connection at once, before or instead of any response (a connection reset). */
  reset(): void;
  /** True once the client went away. */
  readonly closed: boolean;
}

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

/** `onClientGone`: the client closed the connection before the response was complete (not the fake's own abort). */
export function createFakeExchange(
  req: AnyRequest,
  res: AnyResponse,
  bodyBytes: Buffer,
  onClientGone: () => void = () => undefined,
): FakeExchange {
  const target = req.url ?? "/";
  const q = target.indexOf("?");
  const rawBody = bodyBytes.toString("utf8");
  const request: RecordedRequest = {
    method: req.method ?? "GET",
    path: q === -1 ? target : target.slice(0, q),
    query: Object.fromEntries(new URLSearchParams(q === -1 ? "" : target.slice(q + 1))),
    headers: plainHeaders(req.headers),
    body: parseJson(rawBody),
    rawBody,
    httpVersion: req.httpVersion,
    receivedAt: Date.now(),
  };
  let closed = false;
  let droppedByFake = false;
  res.on("close", () => {
    closed = true;
    if (!res.writableFinished && !droppedByFake) onClientGone();
  });
  // Both response classes share these methods; the union's overloads just do not line up for the compiler.
  const out = res as ServerResponse;
  return {
    request,
    target,
    bodyBytes,
    send(status, headers, body) {
      out.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) });
      out.end(body);
    },
    startStream(status, headers) {
      out.writeHead(status, headers);
      out.flushHeaders();
    },
    sendChunks(status, headers, chunks) {
      out.writeHead(status, headers);
      out.cork();
      for (const chunk of chunks) out.write(chunk);
      out.end();
      out.uncork();
    },
    write(chunk) {
      if (closed) return Promise.resolve();
      if (out.write(chunk)) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          out.off("drain", done);
          out.off("close", done);
          resolve();
        };
        out.on("drain", done);
        out.on("close", done);
      });
    },
    end() {
      out.end();
    },
    abort() {
      droppedByFake = true;
      if ("stream" in res) {
        res.stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
        return;
      }
      // end() flushes what was written, then closes: the client gets every byte sent so far and no proper end.
      res.socket?.end();
    },
    reset() {
      droppedByFake = true;
      if ("stream" in res) {
        res.stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
        return;
      }
      res.socket?.destroy();
    },
    get closed() {
      return closed;
    },
  };
}

function plainHeaders(headers: AnyRequest["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (name.startsWith(":")) {
      if (name === ":authority" && headers.host === undefined) out.host = String(value);
      continue;
    }
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
