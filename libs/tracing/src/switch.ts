/**
 * Whether this process traces, from the environment: off unless asked for. `THINKWATCH_TRACING=on|off` decides
 * outright; otherwise the standard variables turn it on: an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or an exporter (OTEL_TRACES_EXPORTER other than `none`). OTEL_SDK_DISABLED=true
 * keeps it off whatever else is set.
 */
export function tracingRequested(env: Record<string, string | undefined>): boolean {
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  if ((env.OTEL_SDK_DISABLED ?? "").trim().toLowerCase() === "true") return false;
  const explicit = (env.THINKWATCH_TRACING ?? "").trim().toLowerCase();
  if (explicit === "on" || explicit === "true" || explicit === "1") return true;
  if (explicit === "off" || explicit === "false" || explicit === "0") return false;
  if (set("OTEL_TRACES_EXPORTER")) return (env.OTEL_TRACES_EXPORTER ?? "").trim().toLowerCase() !== "none";
  return set("OTEL_EXPORTER_OTLP_ENDPOINT") || set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
}

/**
 * How a span's parent is found: `explicit` (ThinkWatch passes each request's context along; no async hooks) or
 * `async` (AsyncLocalStorage finds it across awaits). `THINKWATCH_TRACING_CONTEXT=explicit|async` decides; by
 * default `async` on Node 24 and later, where AsyncLocalStorage no longer hooks every promise, `explicit` before.
 */
export function tracingContextMode(env: Record<string, string | undefined>, nodeVersion: string): "explicit" | "async" {
  const asked = (env.THINKWATCH_TRACING_CONTEXT ?? "").trim().toLowerCase();
  if (asked === "explicit" || asked === "async") return asked;
  return Number(nodeVersion.split(".")[0]) >= 24 ? "async" : "explicit";
}
