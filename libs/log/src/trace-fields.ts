/**
 * The trace of the active span on every log line (pino mixin), so a line can be joined to its trace. Without a
 * started SDK the OpenTelemetry API has no context manager and there is never an active span. pino merges the line's
 * own fields into the returned object, so each call returns a fresh one.
 */
import { trace } from "@opentelemetry/api";

export function traceFields(): { traceId?: string; spanId?: string } {
  const span = trace.getActiveSpan();
  if (span === undefined) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  return (traceFlags & 1) === 1 ? { traceId, spanId } : {};
}
