/** OpenTelemetry tracing at ThinkWatch's boundaries: spans, W3C trace context in headers, and the on/off switch. */
export {
  activeTraceId,
  captureContext,
  endSpan,
  extractTraceContext,
  type HeaderSink,
  type HeaderSource,
  injectTraceHeaders,
  injectTraceRecord,
  linkTo,
  type Span,
  SpanKind,
  type StartSpanOptions,
  setTracingEnabled,
  startSpan,
  type TraceContext,
  tracingEnabled,
  withContext,
  withSpan,
} from "./spans.js";
export { tracingRequested } from "./switch.js";
