/**
 * Starting the OpenTelemetry SDK for the whole process (every service of an all-in-one process shares it). The SDK
 * is imported only when tracing is requested, so a process without tracing never loads it. Exporter, endpoint,
 * sampler, service name and resource come from the standard OTEL_* variables, read by the SDK itself.
 *
 * The context manager: explicit by default (explicit-context.ts: ThinkWatch passes each request's context along
 * itself); `THINKWATCH_TRACING_CONTEXT=async` installs the AsyncLocalStorage manager instead, which also parents
 * spans and log lines that ThinkWatch does not pass a context to, at the price of an async hook on every promise. On Node 24 and later AsyncLocalStorage needs no such hook, so it is the default there.
 *
 * The tracer: for the default export (OTLP/HTTP protobuf) ThinkWatch's light tracer (light-tracer.ts), which encodes
 * each span when it ends; for anything else it does not implement (light-config.ts), the SDK's tracer and exporters.
 */
import { type Attributes, type ContextManager, context, propagation, trace } from "@opentelemetry/api";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { ExplicitContextManager } from "./explicit-context.js";
import { exportConfigFrom, lightPipelineApplies, limitsFrom, samplingFrom } from "./light-config.js";
import { LightTracerProvider } from "./light-tracer.js";
import { type ExportReport, OtlpBatchExporter } from "./otlp-batch-export.js";
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
  /** Where export failures and dropped spans are reported (the process's logger); a JSON line on stderr if not given. */
  report?: ExportReport;
}

/** After shutdown the API's globals are free again (the SDK leaves its own registered), so tracing can restart. */
function unregisterGlobals(): void {
  trace.disable();
  propagation.disable();
  context.disable();
}

const OFF: Tracing = { shutdown: async () => undefined };

export async function startTracing(options: StartTracingOptions): Promise<Tracing> {
  if (options.spanProcessors === undefined && !tracingRequested(options.env)) return OFF;
  const mode = tracingContextMode(options.env, process.versions.node);
  if (options.spanProcessors === undefined && lightPipelineApplies(options.env)) return startLight(options, mode);
  const { NodeSDK } = await import("@opentelemetry/sdk-node");
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
      unregisterGlobals();
    },
  };
}

/**
 * The resource as NodeSDK makes it: the SDK's defaults, then the detectors OTEL_NODE_RESOURCE_DETECTORS names (`all`,
 * `none`, or a list; env, process and host when unset), then the service name.
 */
async function resourceOf(options: StartTracingOptions): Promise<Attributes> {
  const resources = await import("@opentelemetry/resources");
  const byName = {
    env: resources.envDetector,
    host: resources.hostDetector,
    os: resources.osDetector,
    process: resources.processDetector,
    serviceinstance: resources.serviceInstanceIdDetector,
  };
  const asked = (options.env.OTEL_NODE_RESOURCE_DETECTORS ?? "env,process,host")
    .split(",")
    .map((name) => name.trim().toLowerCase());
  const detectors = asked.includes("all")
    ? Object.values(byName)
    : asked.flatMap((name) => (name in byName ? [byName[name as keyof typeof byName]] : []));
  const resource = resources
    .defaultResource()
    .merge(resources.detectResources({ detectors }))
    .merge(
      resources.resourceFromAttributes({
        "service.name": options.env.OTEL_SERVICE_NAME ?? options.defaultServiceName,
      }),
    );
  await resource.waitForAsyncAttributes?.();
  return resource.attributes;
}

async function startLight(options: StartTracingOptions, mode: "explicit" | "async"): Promise<Tracing> {
  const [{ CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator }, attributes] = await Promise.all([
    import("@opentelemetry/core"),
    resourceOf(options),
  ]);
  const exporter = new OtlpBatchExporter(
    exportConfigFrom(options.env),
    attributes,
    options.report ??
      ((message, fields) => process.stderr.write(`${JSON.stringify({ level: "warn", msg: message, ...fields })}\n`)),
  );
  let manager: ContextManager;
  if (mode === "explicit") manager = new ExplicitContextManager();
  else manager = new (await import("@opentelemetry/context-async-hooks")).AsyncLocalStorageContextManager();
  context.setGlobalContextManager(manager.enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(new LightTracerProvider(exporter, samplingFrom(options.env), limitsFrom(options.env)));
  setTracingEnabled(true, { directW3C: true });
  return {
    async shutdown() {
      setTracingEnabled(false);
      await exporter.shutdown();
      unregisterGlobals();
    },
  };
}
