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

/** Headers as a map, both a sink for injecting trace context and a source for extracting it. */
export function headerMap(): {
  map: Map<string, string>;
  set(name: string, value: string): void;
  get(name: string): string | undefined;
} {
  const map = new Map<string, string>();
  return { map, set: (name, value) => void map.set(name, value), get: (name) => map.get(name) };
}
