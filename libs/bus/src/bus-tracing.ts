/**
 * Trace context across NATS: a request carries its client span in `traceparent`/`tracestate` message headers and
 * the serving side starts its span as a child of what the headers say (never of whatever is active in this
 * process), and none when they carry no context. Nothing is allocated when tracing is off.
 */
import { headers, type MsgHdrs } from "@nats-io/transport-node";
import type { AppError } from "@thinkwatch/errors";
import {
  contextOf,
  endSpan,
  extractTraceContext,
  injectTraceHeaders,
  type Span,
  SpanKind,
  startSpan,
  type TraceContext,
  tracingEnabled,
  withContext,
} from "@thinkwatch/tracing";

const SCOPE = "thinkwatch.bus";

export interface RequestSpan {
  headers: MsgHdrs;
  /** End with the transport failure, or the error code the server replied with. */
  end(error?: unknown, replyErrorCode?: string): void;
}

/**
 * A client span for one request made inside a traced operation (the parent given, or the active context); undefined
 * when off or outside any trace.
 */
export function startRequestSpan(subject: string, parent?: TraceContext): RequestSpan | undefined {
  const span = startSpan(SCOPE, `${subject} request`, {
    kind: SpanKind.CLIENT,
    requireParent: true,
    ...(parent === undefined ? {} : { parent }),
    attributes: { "messaging.system": "nats", "messaging.destination.name": subject, "messaging.operation.type": "send" },
  });
  if (span === undefined) return undefined;
  const h = headers();
  injectTraceHeaders(span, h);
  return {
    headers: h,
    end(error, replyErrorCode) {
      const code = replyErrorCode === undefined || replyErrorCode === "" ? undefined : replyErrorCode;
      endSpan(
        span,
        error ?? (code === undefined ? undefined : new Error(code)),
        code === undefined ? undefined : { "error.type": code },
      );
    },
  };
}

/**
 * Run a served request's handler under a server span whose parent comes from the message headers; the handler gets
 * the span's context to pass on (undefined when not traced).
 */
export function tracedServe(
  subject: string,
  msg: { headers?: MsgHdrs | undefined },
  handle: (trace: TraceContext | undefined) => Promise<AppError | undefined>,
): Promise<unknown> {
  return tracingEnabled() ? serveUnderSpan(subject, msg, handle) : handle(undefined);
}

async function serveUnderSpan(
  subject: string,
  msg: { headers?: MsgHdrs | undefined },
  handle: (trace: TraceContext | undefined) => Promise<AppError | undefined>,
): Promise<void> {
  // Only as part of the requester's trace: a request made outside any trace (background work) starts none here.
  const span = startSpan(SCOPE, `${subject} process`, {
    kind: SpanKind.SERVER,
    parent: extractTraceContext(msg.headers),
    requireParent: true,
    attributes: { "messaging.system": "nats", "messaging.destination.name": subject, "messaging.operation.type": "process" },
  });
  const trace = contextOf(span);
  const error = await withContext(trace, () => handle(trace));
  endSpan(span, error, error === undefined ? undefined : { "error.type": error.code });
}

/**
 * A producer span for one JetStream publish inside a traced operation (the active context: the outbox publishes
 * inside its entry's captured context), its context written into the headers.
 */
export function startPublishSpan(subject: string, sink: MsgHdrs): RequestSpan | undefined {
  const span = startSpan(SCOPE, `${subject} publish`, {
    kind: SpanKind.PRODUCER,
    requireParent: true,
    attributes: { "messaging.system": "nats", "messaging.destination.name": subject, "messaging.operation.type": "send" },
  });
  if (span === undefined) return undefined;
  injectTraceHeaders(span, sink);
  return { headers: sink, end: (error) => endSpan(span, error) };
}

/**
 * A consumer span for one stored event, child of its producer span through the headers JetStream kept with the
 * message; ended once the message is settled (acked after the durable write, or given up on).
 */
export function startConsumeSpan(subject: string, durable: string, msgHeaders: MsgHdrs | undefined): Span | undefined {
  if (!tracingEnabled()) return undefined;
  // An event published outside any trace carries no context and gets no span (no root trace per background event).
  return startSpan(SCOPE, `${subject} process`, {
    kind: SpanKind.CONSUMER,
    parent: extractTraceContext(msgHeaders),
    requireParent: true,
    attributes: {
      "messaging.system": "nats",
      "messaging.destination.name": subject,
      "messaging.consumer.group.name": durable,
      "messaging.operation.type": "process",
    },
  });
}
