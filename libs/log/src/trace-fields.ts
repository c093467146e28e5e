/**
 * The trace of the active span on every log line (pino mixin), so a line can be joined to its trace. Without a
 * started SDK the OpenTelemetry API has no context manager and this returns one shared empty object.
 */
import { trace } from "@opentelemetry/api";

const NONE = Object.freeze({});

export function traceFields(): { traceId?: string; spanId?: string } {
  const span = trace.getActiveSpan();
  if (span === undefined) return NONE;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return (traceFlags & 1) === 1 ? { traceId, spanId } : NONE;
}
