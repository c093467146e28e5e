/**
 * The client span of one upstream provider call, its W3C trace context added to the request's headers so a provider
 * (or a proxy in front of it) that traces joins the gateway's trace. Ends when the response head arrives; nothing
 * is made when tracing is off or the call happens outside a traced request.
 */
import { endSpan, injectTraceRecord, SpanKind, startSpan, type TraceContext } from "@thinkwatch/tracing";

export interface UpstreamSpan {
  /** The request's headers plus traceparent/tracestate (a copy; the caller's record is not changed). */
  headers: Record<string, string>;
  end(status: number): void;
  fail(error: unknown): void;
}

export function startUpstreamSpan(
  method: string,
  url: URL,
  headers: Record<string, string>,
  parent: TraceContext | undefined,
): UpstreamSpan | undefined {
  const span = startSpan("ai-proxy", `${method} upstream`, {
    kind: SpanKind.CLIENT,
    requireParent: true,
    ...(parent === undefined ? {} : { parent }),
    attributes: {
      "http.request.method": method,
      "server.address": url.hostname,
      "server.port": Number(url.port || (url.protocol === "https:" ? 443 : 80)),
      "url.path": url.pathname,
    },
  });
  if (span === undefined) return undefined;
  const withTrace = { ...headers };
  injectTraceRecord(span, withTrace);
  return {
    headers: withTrace,
    end: (status) =>
      endSpan(span, status >= 500 ? new Error(`upstream HTTP ${status}`) : undefined, { "http.response.status_code": status }),
    fail: (error) => endSpan(span, error),
  };
}
