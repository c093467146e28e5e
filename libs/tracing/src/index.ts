/** OpenTelemetry tracing at ThinkWatch's boundaries: spans, W3C trace context in headers, and the on/off switch. */
export {
  activeTraceId,
  captureContext,
  contextOf,
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
  traceFieldsOf,
  tracingEnabled,
  withContext,
  withSpan,
} from "./spans.js";
export { tracingContextMode, tracingRequested } from "./switch.js";
