import { Writable } from "node:stream";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { createLogger } from "@thinkwatch/log";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startTracing, type Tracing } from "./sdk.js";
import {
  activeTraceId,
  captureContext,
  contextOf,
  endSpan,
  extractTraceContext,
  injectTraceHeaders,
  SpanKind,
  startSpan,
  traceFieldsOf,
  tracingEnabled,
  withContext,
  withSpan,
} from "./spans.js";
import { tracingContextMode, tracingRequested } from "./switch.js";
import { headerMap } from "./testing.js";

describe("tracing switch", () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" }, true],
    [{ OTEL_TRACES_EXPORTER: "otlp" }, true],
    [{ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }, false],
    [{ THINKWATCH_TRACING: "on" }, true],
    [{ THINKWATCH_TRACING: "off", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }, false],
    [{ OTEL_SDK_DISABLED: "true", THINKWATCH_TRACING: "on" }, false],
  ])("%j → %s", (env, expected) => {
    expect(tracingRequested(env)).toBe(expected);
  });
});

describe("context manager choice", () => {
  it.each([
    [{}, "20.20.2", "explicit"],
    [{}, "22.11.0", "explicit"],
    [{}, "24.1.0", "async"],
    [{ THINKWATCH_TRACING_CONTEXT: "async" }, "20.20.2", "async"],
    [{ THINKWATCH_TRACING_CONTEXT: " Explicit " }, "24.1.0", "explicit"],
    [{ THINKWATCH_TRACING_CONTEXT: "bogus" }, "20.20.2", "explicit"],
  ])("%j on Node %s → %s", (env, version, expected) => {
    expect(tracingContextMode(env, version)).toBe(expected);
  });
});

describe("spans when tracing is off", () => {
  it("makes nothing: no span, no context, no trace id, no parent from headers", async () => {
    const off = await startTracing({ env: {}, defaultServiceName: "test" });
    expect(tracingEnabled()).toBe(false);
    expect(startSpan("test", "anything")).toBeUndefined();
    expect(captureContext()).toBeUndefined();
    expect(contextOf(undefined)).toBeUndefined();
    expect(traceFieldsOf(undefined)).toEqual({});
    expect(activeTraceId()).toBeNull();
    expect(withSpan(undefined, () => 42)).toBe(42);
    await off.shutdown();
  });
});

describe("spans when tracing is on (in-memory exporter)", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  afterAll(async () => {
    await tracing?.shutdown();
  });

  it("carries the parent only through headers, records errors, and puts the trace id on log lines", async () => {
    tracing = await startTracing({
      env: {},
      defaultServiceName: "test",
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    expect(tracingEnabled()).toBe(true);
    const lines: string[] = [];
    const log = createLogger({
      service: "test",
      destination: new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });

    const client = startSpan("sender", "work request", { kind: SpanKind.CLIENT });
    const carrier = headerMap();
    if (client === undefined) throw new Error("expected a span");
    injectTraceHeaders(client, carrier);
    const { traceId, spanId } = client.spanContext();
    expect(carrier.get("traceparent")).toBe(`00-${traceId}-${spanId}-01`);

    // The receiving side is started while the sender's span is active here: its parent must still come from the
    // headers alone (a missing header gives a new root, not the in-process span).
    await withSpan(client, async () => {
      const served = startSpan("receiver", "work process", { kind: SpanKind.SERVER, parent: extractTraceContext(carrier) });
      const orphan = startSpan("receiver", "no headers", { parent: extractTraceContext(headerMap()) });
      await withSpan(served, async () => {
        expect(activeTraceId()).toBe(traceId);
        log.info("inside the served span");
        const queued = captureContext();
        await new Promise((resolve) => setTimeout(resolve, 1));
        withContext(queued, () => endSpan(startSpan("receiver", "later", { requireParent: true })));
      });
      endSpan(served, new Error("it failed"));
      endSpan(orphan);
    });
    endSpan(client);
    expect(startSpan("x", "background", { requireParent: true })).toBeUndefined();

    // The SDK's resource has asynchronous attributes (host, process), so export waits a moment for them.
    const spans = await vi.waitFor(() => {
      const finished = exporter.getFinishedSpans();
      if (finished.length < 4) throw new Error(`${finished.length} spans exported so far`);
      return finished;
    });
    const byName = new Map(spans.map((s) => [s.name, s]));
    const served = byName.get("work process");
    expect(served?.parentSpanContext?.spanId).toBe(spanId);
    expect(served?.spanContext().traceId).toBe(traceId);
    expect(served?.status).toEqual({ code: 2, message: "it failed" });
    expect(served?.instrumentationScope.name).toBe("receiver");
    expect(byName.get("later")?.parentSpanContext?.spanId).toBe(served?.spanContext().spanId);
    expect(byName.get("no headers")?.parentSpanContext).toBeUndefined();
    expect(byName.get("no headers")?.spanContext().traceId).not.toBe(traceId);
    expect(byName.has("background")).toBe(false);

    const line = JSON.parse(lines.find((l) => l.includes("inside the served span")) ?? "{}");
    expect(line).toMatchObject({ traceId, spanId: served?.spanContext().spanId });
  });

  it("keeps a context active only while withContext runs synchronously; after an await it is passed explicitly", async () => {
    exporter.reset();
    const request = startSpan("test", "request", { kind: SpanKind.SERVER });
    const trace = contextOf(request);
    if (request === undefined || trace === undefined) throw new Error("expected a span");
    const { traceId, spanId } = request.spanContext();
    expect(activeTraceId(trace)).toBe(traceId);
    expect(traceFieldsOf(trace)).toEqual({ traceId, spanId });
    let afterAwait: string | null = "unset";
    let explicitChild: ReturnType<typeof startSpan>;
    await withContext(trace, async () => {
      // Synchronously inside: the active context is the request's.
      expect(activeTraceId()).toBe(traceId);
      const inside = startSpan("test", "sync child", { requireParent: true });
      endSpan(inside);
      await new Promise((resolve) => setImmediate(resolve));
      // After the await nothing is active (no async hooks): a child needs its parent passed.
      afterAwait = activeTraceId();
      expect(startSpan("test", "lost child", { requireParent: true })).toBeUndefined();
      explicitChild = startSpan("test", "explicit child", { requireParent: true, parent: trace });
      endSpan(explicitChild);
    });
    expect(afterAwait).toBeNull();
    // A throw inside restores the previous context.
    expect(() =>
      withContext(trace, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(activeTraceId()).toBeNull();
    endSpan(request);
    const spans = await vi.waitFor(() => {
      const finished = exporter.getFinishedSpans();
      if (finished.length < 3) throw new Error(`${finished.length} spans exported so far`);
      return finished;
    });
    const byName = new Map(spans.map((s) => [s.name, s]));
    expect(byName.get("sync child")?.parentSpanContext?.spanId).toBe(spanId);
    expect(byName.get("explicit child")?.parentSpanContext?.spanId).toBe(spanId);
    expect(byName.has("lost child")).toBe(false);
  });
});
