/**
 * The one HTTP client to upstream providers: an undici Agent (a keep-alive pool per origin), first-byte and idle
 * timeouts, and the client's abort signal passed through so a disconnecting client cancels the upstream call.
 */
import { createEgressConnector, type EgressPolicy, type LookupFunction } from "@thinkwatch/egress";
import { AppError } from "@thinkwatch/errors";
import { Agent, type Dispatcher } from "undici";
import { startUpstreamSpan } from "./upstream-span.js";

export interface UpstreamRequest {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: Uint8Array | string;
  signal?: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData["body"];
}

export interface UpstreamHttp {
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export interface UpstreamHttpOptions {
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  /** The egress policy, read per new connection (security.allowPrivateUpstreams from the settings). */
  egress: () => EgressPolicy;
  /** Name resolution for the egress check; the system resolver unless a test injects one. */
  lookup?: LookupFunction;
}

export function createUpstreamHttp(options: UpstreamHttpOptions): UpstreamHttp {
  const agent = new Agent({
    connections: 256,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: options.firstByteTimeoutMs,
    bodyTimeout: options.idleTimeoutMs,
    // Every connection is judged on the address it actually goes to, so a DNS change after saving is caught.
    connect: createEgressConnector({
      policy: options.egress,
      timeout: 10_000,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    }),
  });
  return {
    async send(request) {
      const url = new URL(request.url);
      const traced = startUpstreamSpan(request.method, url, request.headers);
      try {
        const response = await agent.request({
          origin: url.origin,
          path: url.pathname + url.search,
          method: request.method,
          headers: traced?.headers ?? request.headers,
          body: request.body ?? null,
          signal: request.signal ?? null,
        });
        traced?.end(response.statusCode);
        return { status: response.statusCode, headers: response.headers, body: response.body };
      } catch (caught) {
        const failure = upstreamFailure(caught);
        traced?.fail(failure);
        throw failure;
      }
    },
    close: () => agent.close(),
  };
}

/** Map a transport failure to the gateway error the client sees. */
export function upstreamFailure(caught: unknown): AppError {
  const error = caught as { code?: string; name?: string; message?: string };
  if (error.code === "UND_ERR_HEADERS_TIMEOUT" || error.code === "UND_ERR_BODY_TIMEOUT") {
    return new AppError("upstream_timeout", "the upstream provider did not answer in time", { cause: caught, retryable: true });
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
