/**
 * THINKWATCH_TRACING_CONTEXT=async: the SDK's AsyncLocalStorage manager, under which a span started after an await
 * still finds its parent without being handed one (its own file: the context manager is global to the process).
 */
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, expect, it, vi } from "vitest";
import { startTracing, type Tracing } from "./sdk.js";
import { activeTraceId, endSpan, SpanKind, startSpan, withSpan } from "./spans.js";

const exporter = new InMemorySpanExporter();
let tracing: Tracing | undefined;

afterAll(async () => {
  await tracing?.shutdown();
});

it("finds the parent across awaits with the async context manager", async () => {
  tracing = await startTracing({
    env: { THINKWATCH_TRACING_CONTEXT: "async" },
    defaultServiceName: "test",
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const request = startSpan("test", "request", { kind: SpanKind.SERVER });
  if (request === undefined) throw new Error("expected a span");
  await withSpan(request, async () => {
    await new Promise((resolve) => setImmediate(resolve));
    expect(activeTraceId()).toBe(request.spanContext().traceId);
    endSpan(startSpan("test", "after an await", { requireParent: true }));
  });
  endSpan(request);
  const child = await vi.waitFor(() => {
    const found = exporter.getFinishedSpans().find((s) => s.name === "after an await");
    if (found === undefined) throw new Error("not exported yet");
    return found;
  });
  expect(child.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
});
