/**
 * Starting the OpenTelemetry SDK for the whole process (every service of an all-in-one process shares it). The SDK
 * is imported only when tracing is requested, so a process without tracing never loads it. Exporter, endpoint,
 * sampler, service name and resource come from the standard OTEL_* variables, read by the SDK itself.
 */
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { setTracingEnabled } from "./spans.js";
import { tracingRequested } from "./switch.js";

export interface Tracing {
  /** Export what is buffered and stop; safe to call when tracing is off. */
  shutdown(): Promise<void>;
}

export interface StartTracingOptions {
  env: Record<string, string | undefined>;
  /** Service name when OTEL_SERVICE_NAME is not set. */
  defaultServiceName: string;
  /** Tests: their own processors (an in-memory exporter) instead of the exporter from OTEL_TRACES_EXPORTER. */
  spanProcessors?: SpanProcessor[];
}

const OFF: Tracing = { shutdown: async () => undefined };

export async function startTracing(options: StartTracingOptions): Promise<Tracing> {
  if (options.spanProcessors === undefined && !tracingRequested(options.env)) return OFF;
  const { NodeSDK } = await import("@opentelemetry/sdk-node");
  const sdk = new NodeSDK({
    serviceName: options.env.OTEL_SERVICE_NAME ?? options.defaultServiceName,
    // Spans are made by hand at our own boundaries; no auto-instrumentation patches modules behind our back.
    instrumentations: [],
    ...(options.spanProcessors === undefined ? {} : { spanProcessors: options.spanProcessors }),
  });
  sdk.start();
  setTracingEnabled(true);
  return {
    async shutdown() {
      setTracingEnabled(false);
      await sdk.shutdown();
    },
  };
}
