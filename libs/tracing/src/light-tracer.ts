/**
 * ThinkWatch's own implementation of the OpenTelemetry tracing API for the default export (OTLP over HTTP with
 * protobuf): a span is a small object that is encoded to OTLP bytes when it ends and then dropped, so nothing a
 * request made outlives it until the next export. The SDK's tracer keeps each span as a rich object (sanitised
 * attributes, high-resolution time tuples, a processor chain) until a batch of 512 is serialised; at the gateway that
 * cost as much as the request's own work (`npm run bench -- proxy --compare`). Roots are sampled by the SDK's samplers,
 * so OTEL_TRACES_SAMPLER means the same on both paths.
 */
import { randomFillSync } from "node:crypto";
import {
  type Attributes,
  type AttributeValue,
  type Context,
  context as contextApi,
  type Exception,
  type Link,
  type Span,
  type SpanAttributes,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { type Sampler, SamplingDecision, type SamplingResult } from "@opentelemetry/sdk-trace-base";
import { epochMsOf, type FinishedSpan, type RecordedEvent, type RecordedLink } from "./otlp-encode.js";

/** Where ended spans go (the OTLP batch exporter). */
export interface SpanSink {
  /** A sampled span ended at `endMs`; `scope` is the index its tracer was given by `scopeIndex`. */
  ended(span: FinishedSpan, endMs: number, scope: number): void;
  scopeIndex(name: string, version: string | undefined): number;
}

/** How spans are sampled: a root (or every span, when not parent-based) by the sampler; a child as its parent was. */
export interface SamplingPolicy {
  parentBased: boolean;
  root: Sampler;
}

export interface SpanLimits {
  /** OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT (128): attributes past it are dropped and counted. */
  attributeCount: number;
  /** OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT (none): longer strings are cut. */
  attributeValueLength: number;
  /** OTEL_SPAN_EVENT_COUNT_LIMIT (128) and OTEL_SPAN_LINK_COUNT_LIMIT (128). */
  eventCount: number;
  linkCount: number;
}

/** Random ids from crypto, drawn from a refilled pool rather than a system call per id. */
class IdPool {
  private readonly pool = Buffer.allocUnsafe(4096);
  private offset = 4096;

  hex(bytes: number): string {
    for (;;) {
      if (this.offset + bytes > this.pool.length) {
        randomFillSync(this.pool);
        this.offset = 0;
      }
      const start = this.offset;
      this.offset += bytes;
      // An all-zero id is invalid in W3C trace context; draw again (once in 2^64 at worst).
      for (let i = start; i < start + bytes; i++) if (this.pool[i] !== 0) return this.pool.toString("hex", start, start + bytes);
    }
  }
}

const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;
const SAMPLED: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };
const NOT_SAMPLED: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

function limitValue(value: AttributeValue, limit: number): AttributeValue {
  if (typeof value === "string") return value.length > limit ? value.slice(0, limit) : value;
  if (Array.isArray(value)) {
    return value.map((member) =>
      typeof member === "string" && member.length > limit ? member.slice(0, limit) : member,
    ) as AttributeValue;
  }
  return value;
}

export class LightSpan implements Span, FinishedSpan {
  traceState: string | undefined;
  attributes: Attributes = {};
  private attributeCount = 0;
  droppedAttributes = 0;
  events: RecordedEvent[] | undefined;
  links: RecordedLink[] | undefined;
  statusCode: SpanStatusCode = SpanStatusCode.UNSET;
  statusMessage: string | undefined;
  private ended = false;
  private readonly context: SpanContext;

  constructor(
    private readonly tracer: LightTracer,
    readonly traceId: string,
    readonly spanId: string,
    readonly traceFlags: number,
    traceState: SpanContext["traceState"],
    readonly parentSpanId: string | undefined,
    readonly parentIsRemote: boolean,
    public name: string,
    readonly kind: SpanKind,
    readonly startMs: number,
  ) {
    this.traceState = traceState?.serialize();
    this.context = { traceId, spanId, traceFlags, ...(traceState === undefined ? {} : { traceState }) };
  }

  spanContext(): SpanContext {
    return this.context;
  }

  setAttribute(key: string, value: SpanAttributes[string]): this {
    if (this.ended || value === undefined || value === null || key === "") return this;
    const limits = this.tracer.limits;
    if (!(key in this.attributes)) {
      if (this.attributeCount >= limits.attributeCount) {
        this.droppedAttributes++;
        return this;
      }
      this.attributeCount++;
    }
    this.attributes[key] =
      limits.attributeValueLength === Number.POSITIVE_INFINITY ? value : limitValue(value, limits.attributeValueLength);
    return this;
  }

  setAttributes(attributes: SpanAttributes): this {
    for (const key in attributes) this.setAttribute(key, attributes[key]);
    return this;
  }

  addEvent(name: string, attributesOrTime?: SpanAttributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    this.events ??= [];
    const events = this.events;
    if (events.length >= this.tracer.limits.eventCount) return this;
    const isTime = attributesOrTime instanceof Date || Array.isArray(attributesOrTime) || typeof attributesOrTime === "number";
    const at = isTime ? attributesOrTime : time;
    events.push({
      name,
      timeMs:
        at === undefined
          ? this.tracer.now()
          : epochMsOf(at as TimeInput & (number | Date | [number, number]), this.tracer.timeOrigin),
      attributes: isTime ? undefined : (attributesOrTime as Attributes | undefined),
    });
    return this;
  }

  addLink(link: Link): this {
    if (this.ended) return this;
    this.links ??= [];
    const links = this.links;
    if (links.length < this.tracer.limits.linkCount) links.push(recordedLink(link));
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.ended) return this;
    // OK is final; an unset status changes nothing (the API's rules).
    if (this.statusCode === SpanStatusCode.OK || status.code === SpanStatusCode.UNSET) return this;
    this.statusCode = status.code;
    this.statusMessage = status.code === SpanStatusCode.ERROR ? status.message : undefined;
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.ended = true;
    const endMs =
      endTime === undefined ? this.tracer.now() : epochMsOf(endTime as number | Date | [number, number], this.tracer.timeOrigin);
    if ((this.traceFlags & TraceFlags.SAMPLED) !== 0)
      this.tracer.sink.ended(this, Math.max(endMs, this.startMs), this.tracer.scope);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === "string") attributes["exception.message"] = exception;
    else {
      const type = exception.name ?? (exception.code === undefined ? undefined : String(exception.code));
      if (type !== undefined) attributes["exception.type"] = type;
      if (exception.message !== undefined) attributes["exception.message"] = exception.message;
      if (exception.stack !== undefined) attributes["exception.stacktrace"] = exception.stack;
    }
    this.addEvent("exception", attributes, time);
  }
}

function recordedLink(link: Link): RecordedLink {
  const { traceId, spanId, traceFlags, traceState, isRemote } = link.context;
  return {
    traceId,
    spanId,
    traceFlags,
    traceState: traceState?.serialize(),
    isRemote: isRemote === true,
    attributes: link.attributes,
  };
}

export class LightTracer implements Tracer {
  readonly timeOrigin = performance.timeOrigin;

  constructor(
    readonly sink: SpanSink,
    readonly scope: number,
    readonly sampling: SamplingPolicy,
    readonly limits: SpanLimits,
    private readonly ids: IdPool,
  ) {}

  now(): number {
    return this.timeOrigin + performance.now();
  }

  startSpan(name: string, options: SpanOptions = {}, parentContext: Context = contextApi.active()): Span {
    const parentSpan = options.root === true ? undefined : trace.getSpan(parentContext);
    let parent: SpanContext | undefined = parentSpan?.spanContext();
    // Our own spans are valid by construction; a context from elsewhere (a propagator, a test) is checked.
    if (parent !== undefined && !(parentSpan instanceof LightSpan) && !trace.isSpanContextValid(parent)) parent = undefined;
    const traceId = parent?.traceId ?? this.ids.hex(16);
    const spanId = this.ids.hex(8);
    const kind = options.kind ?? SpanKind.INTERNAL;
    const links = options.links ?? [];
    const sampling: SamplingResult =
      parent !== undefined && this.sampling.parentBased
        ? (parent.traceFlags & TraceFlags.SAMPLED) !== 0
          ? SAMPLED
          : NOT_SAMPLED
        : this.sampling.root.shouldSample(parentContext, traceId, name, kind, options.attributes ?? NO_ATTRIBUTES, links);
    const traceState = sampling.traceState ?? parent?.traceState;
    if (sampling.decision === SamplingDecision.NOT_RECORD) {
      return trace.wrapSpanContext({
        traceId,
        spanId,
        traceFlags: TraceFlags.NONE,
        ...(traceState === undefined ? {} : { traceState }),
      });
    }
    const flags = sampling.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE;
    const startMs =
      options.startTime === undefined
        ? this.now()
        : epochMsOf(options.startTime as number | Date | [number, number], this.timeOrigin);
    const span = new LightSpan(
      this,
      traceId,
      spanId,
      flags,
      traceState,
      parent?.spanId,
      parent?.isRemote === true,
      name,
      kind,
      startMs,
    );
    if (options.attributes !== undefined) span.setAttributes(options.attributes);
    if (sampling.attributes !== undefined) span.setAttributes(sampling.attributes);
    if (links.length > 0) span.addLinks(links);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    // The API's overloads: (name, fn), (name, options, fn), (name, options, context, fn).
    const fn = rest[rest.length - 1] as (span: Span) => ReturnType<F>;
    const options = (rest.length >= 2 ? rest[0] : undefined) as SpanOptions | undefined;
    const parentContext = (rest.length >= 3 ? rest[1] : contextApi.active()) as Context;
    const span = this.startSpan(name, options, parentContext);
    return contextApi.with(trace.setSpan(parentContext, span), fn, undefined, span) as ReturnType<F>;
  }
}

export class LightTracerProvider implements TracerProvider {
  private readonly tracers = new Map<string, LightTracer>();
  private readonly ids = new IdPool();

  constructor(
    private readonly sink: SpanSink,
    private readonly sampling: SamplingPolicy,
    private readonly limits: SpanLimits,
  ) {}

  getTracer(name: string, version?: string): Tracer {
    const key = `${name}@${version ?? ""}`;
    let tracer = this.tracers.get(key);
    if (tracer === undefined) {
      tracer = new LightTracer(this.sink, this.sink.scopeIndex(name, version), this.sampling, this.limits, this.ids);
      this.tracers.set(key, tracer);
    }
    return tracer;
  }
}
