/**
 * The one HTTP client to upstream providers: an undici Agent (a keep-alive pool per origin) and four timeouts —
 * connect, first byte (response headers), idle gap between body chunks, total — read from the gateway settings on
 * every request, so a change applies without a restart. The client's abort signal is passed through: a client that
 * goes away cancels the upstream request and its connection is closed. Body failures surface as AppErrors
 * (`upstream_timeout` / `upstream_error`), never as raw transport errors. Every new connection passes the egress
 * policy (the address it actually goes to, so a DNS change after saving is caught).
 */
import type { Readable } from "node:stream";
import { createEgressConnector, type EgressPolicy, type LookupFunction } from "@thinkwatch/egress";
import { AppError } from "@thinkwatch/errors";
import { Abort, type AbortLike, BodyChunks, collectStream } from "@thinkwatch/http";
import type { TraceContext } from "@thinkwatch/tracing";
import { Agent, type Dispatcher } from "undici";
import { startUpstreamSpan } from "./upstream-span.js";

/**
 * What an upstream call sends: text, bytes, or a large client body still in the chunks it arrived in, written chunk
 * by chunk with its length declared (never joined into one buffer).
 */
export type UpstreamBytes = Uint8Array | string | BodyChunks;

export interface UpstreamRequest {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: UpstreamBytes;
  /** The client's abort (an AbortSignal will do): the upstream call is cancelled when it fires. */
  signal?: AbortLike;
  /** The gateway request's trace context: the parent of the upstream call's span. */
  trace?: TraceContext | undefined;
}

export interface UpstreamTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
  totalMs: number;
}

/** An upstream response body: iterate it (streams) or read it whole. Read once. */
export interface UpstreamBody extends AsyncIterable<Uint8Array> {
  text(): Promise<string>;
  bytes(): Promise<Uint8Array>;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** The whole body when it is already in memory (read inside the retry loop), so no promise is needed to get it. */
  readonly buffered: Uint8Array | undefined;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
}

export interface UpstreamHttp {
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export interface UpstreamHttpOptions {
  /** Read on every request (the gateway settings), so a change applies without a restart. */
  timeouts: () => UpstreamTimeouts;
  /** The egress policy, read per new connection (security.allowPrivateUpstreams from the settings). */
  egress: () => EgressPolicy;
  /** Name resolution for the egress check; the system resolver unless a test injects one. */
  lookup?: LookupFunction;
}

/** The one place the upstream connection pool is built: keep-alive pool, connect timeout, egress policy. */
function buildUpstreamAgent(options: UpstreamHttpOptions, connectTimeoutMs: number): Agent {
  return new Agent({
    connections: 256,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    connect: createEgressConnector({
      policy: options.egress,
      timeout: connectTimeoutMs,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    }),
  });
}

export function createUpstreamHttp(options: UpstreamHttpOptions): UpstreamHttp {
  let connectMs = options.timeouts().connectMs;
  let agent = buildUpstreamAgent(options, connectMs);
  const retired: Agent[] = [];

  const currentAgent = (wanted: number) => {
    if (wanted !== connectMs) {
      // The connect timeout is a pool option: a new pool takes new requests, the old one finishes its own.
      const old = agent;
      agent = buildUpstreamAgent(options, wanted);
      connectMs = wanted;
      retired.push(old);
      void old.close().finally(() => retired.splice(retired.indexOf(old), 1));
    }
    return agent;
  };

  return {
    async send(request) {
      const timeouts = options.timeouts();
      const url = parsedUrl(request.url);
      const traced = startUpstreamSpan(request.method, url, request.headers, request.trace);
      // One abort for the total timeout and the client's (an AbortController, or AbortSignal.any, costs far more
      // per request than this plain flag, which undici accepts as the request's signal).
      const signal = new Abort();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        signal.abort();
      }, timeouts.totalMs);
      const clientSignal = request.signal;
      const onClientAbort = () => signal.abort(clientSignal?.reason);
      if (clientSignal?.aborted === true) onClientAbort();
      else clientSignal?.addEventListener("abort", onClientAbort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        clientSignal?.removeEventListener("abort", onClientAbort);
      };
      const fail = (caught: unknown) => {
        settle();
        if (timedOut) {
          return new AppError("upstream_timeout", `the upstream provider did not finish within ${timeouts.totalMs} ms`, {
            cause: caught,
            retryable: true,
            details: { timeout: "total" },
          });
        }
        return upstreamFailure(caught, timeouts);
      };
      const headers = traced?.headers ?? request.headers;
      let response: Dispatcher.ResponseData;
      try {
        response = await currentAgent(timeouts.connectMs).request({
          origin: url.origin,
          path: url.pathname + url.search,
          method: request.method,
          // A body in chunks is written as an iterable, its length declared (not chunked encoding).
          headers: request.body instanceof BodyChunks ? withLength(headers, request.body) : headers,
          body: request.body instanceof BodyChunks ? chunksOf(request.body) : (request.body ?? null),
          signal,
          headersTimeout: timeouts.firstByteMs,
          bodyTimeout: timeouts.idleMs,
        });
      } catch (caught) {
        const failure = fail(caught);
        traced?.fail(failure);
        throw failure;
      }
      traced?.end(response.statusCode);
      return {
        status: response.statusCode,
        headers: response.headers,
        body: wrapBody(response.body, fail, settle),
      };
    },
    async close() {
      await Promise.all([agent.close(), ...retired.map((a) => a.close())]);
    },
  };
}

function withLength(headers: Record<string, string>, body: BodyChunks): Record<string, string> {
  return { ...headers, "content-length": String(body.length) };
}

function chunksOf(body: BodyChunks): Dispatcher.RequestOptions["body"] {
  // undici writes any iterable body (lib/core/request.js accepts one); its type declarations omit iterables.
  return body.chunks as unknown as Dispatcher.RequestOptions["body"];
}

/**
 * Parsed upstream URLs: a gateway calls a handful of endpoints, so each is parsed once, not per request. Long URLs
 * (a client's own query string passed on) are parsed each time rather than kept.
 */
const parsedUrls = new Map<string, URL>();
function parsedUrl(href: string): URL {
  let url = parsedUrls.get(href);
  if (url === undefined) {
    url = new URL(href);
    if (href.length <= 512) {
      if (parsedUrls.size >= 256) parsedUrls.clear();
      parsedUrls.set(href, url);
    }
  }
  return url;
}

function wrapBody(body: Dispatcher.ResponseData["body"], fail: (caught: unknown) => AppError, done: () => void): UpstreamBody {
  // A thin iterator over undici's own (no generator in between): chunks already received are handed on before a
  // failure that follows them, and ending it early still destroys the response.
  const chunks = (): AsyncIterator<Uint8Array> => {
    const inner = body[Symbol.asyncIterator]();
    return {
      next: () =>
        inner.next().then(
          (result) => {
            if (result.done === true) done();
            return result as IteratorResult<Uint8Array>;
          },
          (caught: unknown) => {
            done();
            throw fail(caught);
          },
        ),
      return: async (value?: unknown) => {
        done();
        await inner.return?.(value);
        return { done: true, value: undefined };
      },
    };
  };
  const bytes = () => readWhole(body, fail, done);
  return {
    [Symbol.asyncIterator]: chunks,
    bytes,
    buffered: undefined,
    text: () => bytes().then((all) => Buffer.from(all.buffer, all.byteOffset, all.byteLength).toString("utf8")),
    arrayBuffer: () => bytes().then((all) => all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer),
  };
}

/** A whole body by the stream's events. Failures are those the iterator would give: the stream's error, or a premature close. */
function readWhole(body: Readable, fail: (caught: unknown) => AppError, done: () => void): Promise<Uint8Array> {
  if (body.destroyed) {
    done();
    return Promise.reject(fail(body.errored ?? prematureClose()));
  }
  return collectStream(body, {
    closedEarly: prematureClose,
    finish: (bytes) => {
      done();
      return bytes;
    },
    failed: (caught) => {
      done();
      return fail(caught);
    },
  });
}

function prematureClose(): Error {
  return Object.assign(new Error("Premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" });
}

/** A body already read into memory (a buffered answer handed on after the retry loop). */
export function bufferedBody(data: Uint8Array): UpstreamBody {
  return {
    async *[Symbol.asyncIterator]() {
      yield data;
    },
    buffered: data,
    bytes: async () => data,
    text: async () => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8"),
    arrayBuffer: async () => data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
  };
}

const TIMEOUT_CODES: Record<string, { which: string; setting: keyof UpstreamTimeouts }> = {
  UND_ERR_CONNECT_TIMEOUT: { which: "connect", setting: "connectMs" },
  UND_ERR_HEADERS_TIMEOUT: { which: "first byte", setting: "firstByteMs" },
  UND_ERR_BODY_TIMEOUT: { which: "idle", setting: "idleMs" },
};

/** Map a transport failure to the gateway error the client sees. */
export function upstreamFailure(caught: unknown, timeouts?: UpstreamTimeouts): AppError {
  const error = caught as { code?: string; name?: string; message?: string };
  const timeout = error.code === undefined ? undefined : TIMEOUT_CODES[error.code];
  if (timeout !== undefined) {
    const limit = timeouts === undefined ? "" : ` (${timeouts[timeout.setting]} ms)`;
    return new AppError("upstream_timeout", `the upstream provider did not answer in time: ${timeout.which} timeout${limit}`, {
      cause: caught,
      retryable: true,
      details: { timeout: timeout.which.replace(" ", "_") },
    });
  }
  if (error.code === "ERR_EGRESS_DENIED") {
    // A policy refusal is the same on every retry: not retried.
    return new AppError("upstream_error", "cannot reach the upstream provider (ERR_EGRESS_DENIED)", { cause: caught });
  }
  if (error.name === "AbortError" || error.code === "UND_ERR_ABORTED") {
    return new AppError("bad_request", "the client closed the request", { cause: caught, status: 499 });
  }
  return new AppError(
    "upstream_error",
    `cannot reach the upstream provider (${error.code ?? error.message ?? "unknown error"})`,
    {
      cause: caught,
      retryable: true,
    },
  );
}
