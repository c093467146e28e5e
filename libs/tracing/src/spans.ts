/**
 * Manual spans at ThinkWatch's own boundaries (HTTP in, NATS request/serve, JetStream publish/consume, upstream
 * calls). Off by default: until the SDK is started (sdk.ts) every function here returns at the first line, so a
 * request allocates no span, context or header when tracing is off.
 *
 * A parent is passed explicitly wherever work crosses an `await`: the HTTP span's context travels with the request
 * (`c.get("trace")`, the gateway's request record) into the calls that make child spans (`parent`, or `withContext`
 * around a call whose span starts synchronously). The active context (`context.active()`) is only what a synchronous
 * `withSpan`/`withContext` set (explicit-context.ts), unless the process runs the AsyncLocalStorage manager.
 */
import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";

export type { Context as TraceContext, Span } from "@opentelemetry/api";
export { SpanKind } from "@opentelemetry/api";

let enabled = false;
/** The light tracer's propagators are W3C trace context and baggage: their headers are written without the API. */
let directW3C = false;
/** One tracer per scope, looked up once: the global provider's lookup builds a key string on every call. */
const tracers = new Map<string, Tracer>();

/** Turned on by startTracing (or a test that installs its own provider); nothing else flips it. */
export function setTracingEnabled(on: boolean, options: { directW3C?: boolean } = {}): void {
  enabled = on;
  directW3C = on && options.directW3C === true;
  tracers.clear();
}

function tracerOf(scope: string): Tracer {
  let tracer = tracers.get(scope);
  if (tracer === undefined) {
    tracer = trace.getTracer(scope);
    tracers.set(scope, tracer);
  }
  return tracer;
}

export function tracingEnabled(): boolean {
  return enabled;
}

export interface StartSpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; the active context by default. */
  parent?: Context;
  /** Start nothing unless the parent holds a span: background work (cache refreshes, timers) makes no root traces. */
  requireParent?: boolean;
  links?: Link[];
}

/**
 * A span named for one step, from the tracer of one service or library (the instrumentation scope says which
 * service did the work in an all-in-one process). Undefined when tracing is off.
 */
export function startSpan(scope: string, name: string, options: StartSpanOptions = {}): Span | undefined {
  if (!enabled) return undefined;
  const parent = options.parent ?? context.active();
  if (options.requireParent === true && trace.getSpan(parent) === undefined) return undefined;
  // The options are the SDK's span options too (kind, attributes, links); the SDK ignores the other fields.
  return tracerOf(scope).startSpan(name, options, parent);
}

/** Run fn with the span as the active one (so spans started inside are its children); fn alone when there is none. */
export function withSpan<T>(span: Span | undefined, fn: () => T): T {
  if (span === undefined) return fn();
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** End a span, marking it failed when an error is given. */
export function endSpan(span: Span | undefined, error?: unknown, attributes?: Attributes): void {
  if (span === undefined) return;
  if (attributes !== undefined) span.setAttributes(attributes);
  if (error !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    if (error instanceof Error) span.recordException(error);
  }
  span.end();
}

/** The active context, to carry work queued now into a later turn (outbox, batches); undefined when tracing is off. */
export function captureContext(): Context | undefined {
  return enabled ? context.active() : undefined;
}

/** The context in which the span is the parent, to pass along explicitly; undefined without a span. */
export function contextOf(span: Span | undefined): Context | undefined {
  return span === undefined ? undefined : trace.setSpan(context.active(), span);
}

/** Run fn inside a context captured earlier. */
export function withContext<T>(captured: Context | undefined, fn: () => T): T {
  return captured === undefined ? fn() : context.with(captured, fn);
}

/** Anything headers can be written into: NATS MsgHdrs, a plain record of HTTP headers. */
export interface HeaderSink {
  set(name: string, value: string): void;
}

/** Anything headers can be read from: NATS MsgHdrs, fetch Headers. */
export interface HeaderSource {
  get(name: string): string | null | undefined;
}

const sinkSetter = { set: (sink: HeaderSink, key: string, value: string) => sink.set(key, value) };
const recordSetter = {
  set: (record: Record<string, string>, key: string, value: string) => {
    record[key] = value;
  },
};
const sourceGetter = {
  get: (source: HeaderSource, key: string) => source.get(key) ?? undefined,
  keys: () => ["traceparent", "tracestate", "baggage"],
};

/**
 * traceparent and tracestate of a span, written straight from its context when the process's propagators are W3C
 * (the light tracer) and no baggage is active; false when the API's propagators have to do it.
 */
function setW3C(span: Span, set: (name: string, value: string) => void): boolean {
  if (!directW3C || propagation.getActiveBaggage() !== undefined) return false;
  const { traceId, spanId, traceFlags, traceState } = span.spanContext();
  set("traceparent", `00-${traceId}-${spanId}-${(traceFlags & 1) === 1 ? "01" : "00"}`);
  const state = traceState?.serialize();
  if (state !== undefined && state !== "") set("tracestate", state);
  return true;
}

/** Write the W3C trace context (traceparent, tracestate) of the span into outgoing headers. */
export function injectTraceHeaders(span: Span, sink: HeaderSink): void {
  if (setW3C(span, (name, value) => sink.set(name, value))) return;
  propagation.inject(trace.setSpan(context.active(), span), sink, sinkSetter);
}

/** Same, into a plain header record (undici requests). */
export function injectTraceRecord(span: Span, record: Record<string, string>): void {
  if (
    setW3C(span, (name, value) => {
      record[name] = value;
    })
  )
    return;
  propagation.inject(trace.setSpan(context.active(), span), record, recordSetter);
}

/**
 * The remote parent carried by incoming headers, on top of an empty context: whatever this process happens to
 * have active (in an all-in-one process, the sender's own context) never leaks in, so a parent comes only from the
 * headers on the wire.
 */
export function extractTraceContext(source: HeaderSource | undefined): Context {
  if (!enabled || source === undefined) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, source, sourceGetter);
}

/**
 * The trace id (32 hex) of the span in the given context (the active one by default) when it is sampled; null when
 * tracing is off or nothing is traced.
 */
export function activeTraceId(captured?: Context): string | null {
  if (!enabled) return null;
  const span = trace.getSpan(captured ?? context.active());
  if (span === undefined) return null;
  const spanContext = span.spanContext();
  return (spanContext.traceFlags & 1) === 1 ? spanContext.traceId : null;
}

/** The trace and span ids of the context's span for a log line's fields (sampled spans only); empty otherwise. */
export function traceFieldsOf(captured: Context | undefined): { traceId?: string; spanId?: string } {
  const span = captured === undefined ? undefined : trace.getSpan(captured);
  if (span === undefined) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  return (traceFlags & 1) === 1 ? { traceId, spanId } : {};
}

/** A link to the span of another piece of work (a batch's other members). */
export function linkTo(captured: Context | undefined): Link | undefined {
  if (captured === undefined) return undefined;
  const span = trace.getSpan(captured);
  return span === undefined ? undefined : { context: span.spanContext() };
}
