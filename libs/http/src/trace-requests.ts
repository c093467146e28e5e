/**
 * A server span per HTTP request when tracing is on, child of the caller's W3C `traceparent`/`tracestate` when it
 * sent one. The span covers the handler up to the response head; a streamed body flows after it ends. Its context is
 * the request's `trace` variable: handlers pass it to whatever makes child spans after an `await`.
 */
import { contextOf, endSpan, extractTraceContext, SpanKind, startSpan, tracingEnabled, withContext } from "@thinkwatch/tracing";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv } from "./app.js";
import { requestHeader } from "./request-header.js";

export function traceRequests(scope: string): MiddlewareHandler<AppEnv> {
  const traced: MiddlewareHandler<AppEnv> = async (c, next) => {
    const method = c.req.method;
    const span = startSpan(scope, method, {
      kind: SpanKind.SERVER,
      // Read from Node's parsed headers: the WHATWG Headers object would be built for this lookup alone.
      parent: extractTraceContext({ get: (name) => requestHeader(c, name) }),
      attributes: { "http.request.method": method, "url.path": c.req.path },
    });
    const trace = contextOf(span);
    c.set("trace", trace);
    try {
      await withContext(trace, next);
    } finally {
      // The handler that answered (after next(), the request's route index is the last handler run), not the last
      // route that matched: a catch-all registered after the routes (the console's SPA fallback) matches every path.
      const route = routePath(c, c.req.routeIndex);
      span?.updateName(`${method} ${route}`);
      const status = c.res.status;
      endSpan(span, c.error ?? (status >= 500 ? new Error(`HTTP ${status}`) : undefined), {
        "http.route": route,
        "http.response.status_code": status,
      });
    }
  };
  // Not an async function when tracing is off: an untraced request pays no promise of its own here.
  return (c, next) => (tracingEnabled() ? traced(c, next) : next());
}
