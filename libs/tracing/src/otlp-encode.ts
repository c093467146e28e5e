/**
 * OTLP/protobuf encoding (opentelemetry/proto trace/v1 and collector/trace/v1) of what the light tracer records: a
 * span is encoded once, when it ends, straight into its scope's part of the next batch, and the export request is
 * those parts put together under the resource, without decoding or copying a span again.
 */
import type { Attributes, AttributeValue, HrTime, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { ProtobufWriter, varintSize } from "./protobuf-writer.js";

/** What a span holds when it ends, as the encoder reads it. */
export interface FinishedSpan {
  traceId: string;
  spanId: string;
  traceState: string | undefined;
  traceFlags: number;
  parentSpanId: string | undefined;
  parentIsRemote: boolean;
  name: string;
  kind: SpanKind;
  startMs: number;
  attributes: Attributes;
  droppedAttributes: number;
  events: RecordedEvent[] | undefined;
  links: RecordedLink[] | undefined;
  statusCode: SpanStatusCode;
  statusMessage: string | undefined;
}

export interface RecordedEvent {
  name: string;
  timeMs: number;
  attributes: Attributes | undefined;
}

export interface RecordedLink {
  traceId: string;
  spanId: string;
  traceState: string | undefined;
  traceFlags: number;
  isRemote: boolean;
  attributes: Attributes | undefined;
}

/** OTLP span flags: the W3C trace flags, and whether the parent (or linked) context is known to be remote. */
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

function writeValue(w: ProtobufWriter, value: AttributeValue | null | undefined): void {
  switch (typeof value) {
    case "string":
      w.string(1, value);
      return;
    case "boolean":
      w.bool(2, value);
      return;
    case "number":
      if (Number.isSafeInteger(value)) w.int64(3, value);
      else w.double(4, value);
      return;
    default:
      if (Array.isArray(value)) {
        // ArrayValue { repeated AnyValue values = 1 }; a null member is an empty AnyValue.
        w.message(5, () => {
          for (const member of value) w.message(1, () => writeValue(w, member));
        });
      }
  }
}

/** Repeated KeyValue at `field`; undefined values are not attributes. */
function writeAttributes(w: ProtobufWriter, field: number, attributes: Attributes | undefined): void {
  if (attributes === undefined) return;
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    const keyValue = w.begin(field);
    w.recurring(1, key);
    const anyValue = w.begin(2);
    writeValue(w, value);
    w.end(anyValue);
    w.end(keyValue);
  }
}

/** The Span message (without its own tag and length) of a finished span. */
export function encodeSpan(w: ProtobufWriter, span: FinishedSpan, endMs: number): void {
  w.hexBytes(1, span.traceId);
  w.hexBytes(2, span.spanId);
  if (span.traceState !== undefined && span.traceState !== "") w.string(3, span.traceState);
  if (span.parentSpanId !== undefined) w.hexBytes(4, span.parentSpanId);
  w.recurring(5, span.name);
  // OTLP counts kinds from 1 (internal); the API from 0.
  w.uint(6, span.kind + 1);
  w.fixed64Nanos(7, span.startMs);
  w.fixed64Nanos(8, endMs);
  writeAttributes(w, 9, span.attributes);
  if (span.droppedAttributes > 0) w.uint(10, span.droppedAttributes);
  for (const event of span.events ?? []) {
    w.message(11, () => {
      w.fixed64Nanos(1, event.timeMs);
      w.recurring(2, event.name);
      writeAttributes(w, 3, event.attributes);
    });
  }
  for (const link of span.links ?? []) {
    w.message(13, () => {
      w.hexBytes(1, link.traceId);
      w.hexBytes(2, link.spanId);
      if (link.traceState !== undefined && link.traceState !== "") w.string(3, link.traceState);
      writeAttributes(w, 4, link.attributes);
      w.fixed32(6, (link.traceFlags & 0xff) | HAS_IS_REMOTE | (link.isRemote ? IS_REMOTE : 0));
    });
  }
  if (span.statusCode !== 0 || span.statusMessage !== undefined) {
    w.message(15, () => {
      if (span.statusMessage !== undefined && span.statusMessage !== "") w.string(2, span.statusMessage);
      if (span.statusCode !== 0) w.uint(3, span.statusCode);
    });
  }
  const parentFlags = span.parentSpanId === undefined ? 0 : HAS_IS_REMOTE | (span.parentIsRemote ? IS_REMOTE : 0);
  w.fixed32(16, (span.traceFlags & 0xff) | parentFlags);
}

/** The Resource message: its attributes. */
export function encodeResource(attributes: Attributes): Buffer {
  const w = new ProtobufWriter(1024);
  writeAttributes(w, 1, attributes);
  return w.take();
}

/** The InstrumentationScope message. */
export function encodeScope(name: string, version: string | undefined): Buffer {
  const w = new ProtobufWriter(256);
  w.string(1, name);
  if (version !== undefined && version !== "") w.string(2, version);
  return w.take();
}

/** Tag plus length prefix of a length-delimited field with a one-byte tag (fields 1–15). */
function delimitedSize(length: number): number {
  return 1 + varintSize(length) + length;
}

/** One scope's spans of a batch: each already written as a `spans` field (2) of ScopeSpans. */
export interface ScopeBatch {
  scope: Buffer;
  spans: Uint8Array;
}

/** ExportTraceServiceRequest { ResourceSpans { resource, ScopeSpans { scope, spans… }… } } from encoded parts. */
export function encodeExportRequest(resource: Buffer, batches: ScopeBatch[]): Buffer {
  const scopeSpansLengths = batches.map((batch) => delimitedSize(batch.scope.length) + batch.spans.length);
  const resourceSpansLength =
    delimitedSize(resource.length) + scopeSpansLengths.reduce((sum, length) => sum + delimitedSize(length), 0);
  const w = new ProtobufWriter(delimitedSize(resourceSpansLength));
  const lengthDelimited = (field: number, length: number) => {
    w.tag(field, 2);
    w.varint(length);
  };
  lengthDelimited(1, resourceSpansLength);
  w.bytes(1, resource);
  batches.forEach((batch, i) => {
    lengthDelimited(2, scopeSpansLengths[i] as number);
    w.bytes(1, batch.scope);
    w.buffer.set(batch.spans, w.pos);
    w.pos += batch.spans.length;
  });
  return w.buffer.subarray(0, w.pos);
}

/** Milliseconds since the epoch of an API time input (HrTime, Date, epoch or performance-relative milliseconds). */
export function epochMsOf(time: HrTime | Date | number, timeOrigin: number): number {
  if (Array.isArray(time)) return time[0] * 1000 + time[1] / 1e6;
  if (time instanceof Date) return time.getTime();
  // The SDK's rule: a number below the process's time origin is relative to it (performance.now()).
  return time < timeOrigin ? timeOrigin + time : time;
}
