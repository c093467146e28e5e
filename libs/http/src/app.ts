/**
 * The Hono app factory: request id in and out, one error handler (which logs with the request id; no logger is
 * made per request, since almost no request logs anything). The error body is the
 * console shape unless the service passes its own formatter (the gateway answers in the caller's API shape).
 */
import { type AppError, toAppError } from "@thinkwatch/errors";
import type { Logger } from "@thinkwatch/log";
import { type TraceContext, withContext } from "@thinkwatch/tracing";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { consoleErrorBody } from "./console-error.js";
import { requestHeader } from "./request-header.js";
import { isCarryingRequestId, REQUEST_ID_HEADER, requestIdOf } from "./request-id.js";
import { traceRequests } from "./trace-requests.js";

export interface AppEnv {
  Variables: {
    requestId: string;
    /** The request span's context when tracing is on: the parent of the spans the handler makes after an await. */
    trace?: TraceContext;
  };
}

export interface HttpAppOptions {
  log: Logger;
  /** Renders an error as a response; defaults to the console error body. */
  formatError?: (error: AppError, c: Context<AppEnv>) => Response;
  /** Names the tracer of the request spans (the service); `thinkwatch.http` when not given. */
  traceScope?: string;
}

export function createHttpApp(options: HttpAppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const format =
    options.formatError ??
    ((error: AppError, c: Context<AppEnv>) =>
      c.json(consoleErrorBody(error, c.get("requestId")), error.status as ContentfulStatusCode));

  app.use("*", traceRequests(options.traceScope ?? "thinkwatch.http"));
  // Not an async function: `then` on next() costs one promise where an async middleware costs two.
  app.use("*", (c, next) => {
    const requestId = requestIdOf(requestHeader(c, REQUEST_ID_HEADER));
    c.set("requestId", requestId);
    return next().then(() => addRequestId(c, requestId));
  });

  app.onError((caught, c) => {
    const error = toAppError(caught);
    if (error.code === "internal") {
      // A bug or an unexpected failure: the stack says where.
      withContext(c.get("trace"), () => options.log.error({ err: caught, requestId: c.get("requestId") }, "request failed"));
    } else if (error.status >= 500) {
      // A known failure outside this process (an upstream refused or away, a dependency unavailable, egress policy):
      // its code and message say what happened; a stack would only cost the formatting while something is down.
      withContext(c.get("trace"), () =>
        options.log.warn(
          { code: error.code, status: error.status, error: error.message, requestId: c.get("requestId") },
          "request failed",
        ),
      );
    }
    const response = format(error, c);
    response.headers.set(REQUEST_ID_HEADER, c.get("requestId") ?? "");
    return response;
  });

  return app;
}

/**
 * Added after the handler, and only when missing: the gateway's handlers build their responses with it already, and
 * headers prepared up front would be thrown away by every handler that returns its own Response.
 */
function addRequestId(c: Context<AppEnv>, requestId: string): void {
  if (isCarryingRequestId(c.res) || c.res.headers.has(REQUEST_ID_HEADER)) return;
  try {
    c.res.headers.set(REQUEST_ID_HEADER, requestId);
  } catch {
    // A Response with immutable headers (one received from fetch, say): copied once.
    const copy = new Response(c.res.body, c.res);
    copy.headers.set(REQUEST_ID_HEADER, requestId);
    c.res = copy;
  }
}
