/**
 * The AI gateway's Prometheus metrics, observed once per request when it ends (from the same record the audit event
 * is built from). Labels stay bounded: the inbound API, the configured provider name, the model only when it is a
 * registered model (anything routed by prefix, unknown or unparsed is "other"), the HTTP status. Children are bound
 * once per label set; with metrics off the observer is a no-op installed at start.
 */
import { ChildCache, type Metrics } from "@thinkwatch/metrics";
import type { GatewayRequestEvent } from "@thinkwatch/proto";
import type { RequestRecord } from "../pipeline/request-record.js";

export type RequestObserver = (record: RequestRecord, event: GatewayRequestEvent | null) => void;

const NOOP: RequestObserver = () => undefined;
const OTHER = "other";
const NONE = "none";
const STATUS_TEXT = new Map<number, string>();
const statusText = (status: number) => {
  let text = STATUS_TEXT.get(status);
  if (text === undefined) {
    text = String(status);
    STATUS_TEXT.set(status, text);
  }
  return text;
};

export function createRequestObserver(metrics: Metrics): RequestObserver {
  if (!metrics.enabled) return NOOP;
  const m = metrics.instruments;
  const window = metrics.gatewayWindow;
  const requests = new ChildCache((route, provider, model, status) => ({
    count: m.gatewayRequests.labels(route, provider, model, status),
    duration: m.gatewayRequestDuration.labels(route, provider, model, status),
  }));
  const perModel = new ChildCache((provider, model) => ({
    upstream: m.gatewayUpstreamDuration.labels(provider, model),
    ttft: m.gatewayTimeToFirstToken.labels(provider, model),
    inputRaw: m.gatewayTokens.labels(provider, model, "input", "raw"),
    outputRaw: m.gatewayTokens.labels(provider, model, "output", "raw"),
    inputWeighted: m.gatewayTokens.labels(provider, model, "input", "weighted"),
    outputWeighted: m.gatewayTokens.labels(provider, model, "output", "weighted"),
    cost: m.gatewayCost.labels(provider, model),
  }));
  const streamOutcomes = new ChildCache((outcome) => m.streamCompletions.labels(outcome));
  const rateLimited = m.gatewayRateLimited.labels("ai_gateway");

  return (record, event) => {
    const route = record.route;
    const provider = route === null ? NONE : route.provider.name;
    const model = route?.registered === true ? route.model : OTHER;
    const seconds = record.elapsedSeconds();
    const failed = record.errorCode !== null || record.statusCode >= 400;
    const children = requests.get4(record.inboundApi, provider, model, statusText(record.statusCode));
    children.count.inc();
    children.duration.observe(seconds);
    window.record(seconds, failed);
    if (record.errorCode === "rate_limited" || record.errorCode === "budget_exceeded") rateLimited.inc();
    if (record.streamed) streamOutcomes.get1(streamOutcome(record.errorCode)).inc();
    if (route === null) return;
    const byModel = perModel.get2(provider, model);
    if (record.upstreamStartedHr !== null) byModel.upstream.observe(record.upstreamSeconds());
    if (record.streamed && record.firstTokenAtMs !== null) byModel.ttft.observe(record.firstTokenAtMs / 1000);
    if (event !== null) {
      byModel.inputRaw.inc(event.inputTokens);
      byModel.outputRaw.inc(event.outputTokens);
      byModel.inputWeighted.inc(event.weightedInputTokens ?? 0);
      byModel.outputWeighted.inc(event.weightedOutputTokens ?? 0);
      byModel.cost.inc(event.costUsd ?? 0);
    }
  };
}

function streamOutcome(errorCode: string | null): string {
  if (errorCode === null) return "completed";
  if (errorCode === "client_closed") return "client_disconnected";
  return errorCode === "upstream_error" ? "upstream_error" : "error";
}
