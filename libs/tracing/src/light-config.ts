/**
 * When the light tracer runs, and its settings, from the standard OTEL_* variables. It takes the default export
 * (OTLP over HTTP, protobuf, optionally gzip, with the W3C propagators); any other exporter, protocol, TLS client
 * setting, propagator or sampler the light path does not implement hands the process to the SDK, which reads the same
 * variables. `THINKWATCH_TRACING_PIPELINE=sdk` chooses the SDK outright.
 */
import { AlwaysOffSampler, AlwaysOnSampler, TraceIdRatioBasedSampler } from "@opentelemetry/sdk-trace-base";
import type { SamplingPolicy, SpanLimits } from "./light-tracer.js";
import type { OtlpExportConfig } from "./otlp-batch-export.js";

type Env = Record<string, string | undefined>;

const text = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
};

const list = (env: Env, name: string): string[] =>
  (text(env, name) ?? "")
    .split(",")
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== "");

const number = (env: Env, names: string[], fallback: number): number => {
  for (const name of names) {
    const value = Number(text(env, name));
    if (text(env, name) !== undefined && Number.isFinite(value) && value >= 0) return value;
  }
  return fallback;
};

const SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
];

/** Whether the light tracer can honour this environment; otherwise the SDK runs. */
export function lightPipelineApplies(env: Env): boolean {
  if ((text(env, "THINKWATCH_TRACING_PIPELINE") ?? "light").toLowerCase() === "sdk") return false;
  const exporters = list(env, "OTEL_TRACES_EXPORTER");
  if (exporters.some((exporter) => exporter !== "otlp")) return false;
  const protocol = text(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") ?? text(env, "OTEL_EXPORTER_OTLP_PROTOCOL") ?? "http/protobuf";
  if (protocol !== "http/protobuf") return false;
  const tls = ["CERTIFICATE", "CLIENT_KEY", "CLIENT_CERTIFICATE"].flatMap((what) => [
    `OTEL_EXPORTER_OTLP_${what}`,
    `OTEL_EXPORTER_OTLP_TRACES_${what}`,
  ]);
  if (tls.some((name) => text(env, name) !== undefined)) return false;
  const compression = (
    text(env, "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION") ??
    text(env, "OTEL_EXPORTER_OTLP_COMPRESSION") ??
    "none"
  ).toLowerCase();
  if (compression !== "none" && compression !== "gzip") return false;
  if (list(env, "OTEL_PROPAGATORS").some((propagator) => propagator !== "tracecontext" && propagator !== "baggage")) return false;
  const sampler = (text(env, "OTEL_TRACES_SAMPLER") ?? "parentbased_always_on").toLowerCase();
  return SAMPLERS.includes(sampler);
}

/** `k=v,k2=v2` with URL-encoded parts (OTEL_EXPORTER_OTLP_HEADERS). */
function headersFrom(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (value ?? "").split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const key = decodeURIComponent(pair.slice(0, at).trim()).toLowerCase();
    if (key !== "") headers[key] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

export function exportConfigFrom(env: Env): OtlpExportConfig {
  const base = text(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
  const url =
    text(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") ??
    (base === undefined ? "http://localhost:4318/v1/traces" : `${base.replace(/\/+$/, "")}/v1/traces`);
  const maxQueueSize = Math.max(1, number(env, ["OTEL_BSP_MAX_QUEUE_SIZE"], 2048));
  return {
    url,
    headers: {
      ...headersFrom(text(env, "OTEL_EXPORTER_OTLP_HEADERS")),
      ...headersFrom(text(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS")),
    },
    timeoutMs: number(env, ["OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT"], 10_000),
    gzip: (text(env, "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION") ?? text(env, "OTEL_EXPORTER_OTLP_COMPRESSION")) === "gzip",
    maxQueueSize,
    maxBatchSize: Math.max(1, Math.min(maxQueueSize, number(env, ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"], 512))),
    scheduleDelayMs: number(env, ["OTEL_BSP_SCHEDULE_DELAY"], 5000),
  };
}

/**
 * OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG (the ratio clamped to 0…1, default 1). The `parentbased_*` samplers
 * follow a parent's sampled flag, as the SDK's ParentBasedSampler does with its default delegates; the light tracer
 * applies that rule itself (the parent's validity is already known) and asks the SDK's sampler only for roots.
 */
export function samplingFrom(env: Env): SamplingPolicy {
  const ratio = Math.min(1, number(env, ["OTEL_TRACES_SAMPLER_ARG"], 1));
  switch ((text(env, "OTEL_TRACES_SAMPLER") ?? "parentbased_always_on").toLowerCase()) {
    case "always_on":
      return { parentBased: false, root: new AlwaysOnSampler() };
    case "always_off":
      return { parentBased: false, root: new AlwaysOffSampler() };
    case "traceidratio":
      return { parentBased: false, root: new TraceIdRatioBasedSampler(ratio) };
    case "parentbased_always_off":
      return { parentBased: true, root: new AlwaysOffSampler() };
    case "parentbased_traceidratio":
      return { parentBased: true, root: new TraceIdRatioBasedSampler(ratio) };
    default:
      return { parentBased: true, root: new AlwaysOnSampler() };
  }
}

export function limitsFrom(env: Env): SpanLimits {
  return {
    attributeCount: number(env, ["OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "OTEL_ATTRIBUTE_COUNT_LIMIT"], 128),
    attributeValueLength: number(
      env,
      ["OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"],
      Number.POSITIVE_INFINITY,
    ),
    eventCount: number(env, ["OTEL_SPAN_EVENT_COUNT_LIMIT"], 128),
    linkCount: number(env, ["OTEL_SPAN_LINK_COUNT_LIMIT"], 128),
  };
}
