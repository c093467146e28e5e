/** Tests: tracing on with an in-memory exporter that keeps every finished span (exported as each span ends). */
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { startTracing } from "./sdk.js";

export interface InMemoryTracing {
  spans(): ReadableSpan[];
  shutdown(): Promise<void>;
}

export async function startInMemoryTracing(serviceName = "test"): Promise<InMemoryTracing> {
  const exporter = new InMemorySpanExporter();
  const tracing = await startTracing({
    env: {},
    defaultServiceName: serviceName,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { spans: () => exporter.getFinishedSpans(), shutdown: () => tracing.shutdown() };
}
