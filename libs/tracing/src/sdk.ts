/**
 * Starting the OpenTelemetry SDK for the whole process (every service of an all-in-one process shares it). The SDK
 * is imported only when tracing is requested, so a process without tracing never loads it. Exporter, endpoint,
 * sampler, service name and resource come from the standard OTEL_* variables, read by the SDK itself.
 *
 * The context manager: explicit by default (explicit-context.ts: ThinkWatch passes each request's context along
 * itself); `THINKWATCH_TRACING_CONTEXT=async` installs the SDK's AsyncLocalStorage manager instead, which also parents
 * spans that ThinkWatch does not pass a context to (the console API's NATS calls), at the price of an async hook on
 * every promise. On Node 24 and later AsyncLocalStorage needs no such hook, so it is the default there.
 */
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { ExplicitContextManager } from "./explicit-context.js";
import { setTracingEnabled } from "./spans.js";
import { tracingContextMode, tracingRequested } from "./switch.js";

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
  const mode = tracingContextMode(options.env, process.versions.node);
  const sdk = new NodeSDK({
    serviceName: options.env.OTEL_SERVICE_NAME ?? options.defaultServiceName,
    // Spans are made by hand at our own boundaries; no auto-instrumentation patches modules behind our back.
    instrumentations: [],
    // Left out, the SDK installs its AsyncLocalStorage manager.
    ...(mode === "explicit" ? { contextManager: new ExplicitContextManager() } : {}),
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
