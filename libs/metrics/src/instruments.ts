/**
 * Every metric ThinkWatch exports, defined once against a process's registry. Names follow the original ThinkWatch
 * where it had one. Counters and histograms are the hot-path kind (fast-instruments.ts). Labels are bounded: configured provider, model and server names, HTTP statuses, subjects of the
 * proto contracts, consumer and channel names; never user ids or raw client strings.
 */
import { Gauge, type Registry } from "prom-client";
import { FastCounter as Counter, FastHistogram as Histogram } from "./fast-instruments.js";

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function defineInstruments(registry: Registry) {
  const registers = [registry];
  return {
    gatewayRequests: new Counter({
      name: "gateway_requests_total",
      help: "AI gateway requests by inbound API route, provider, configured model and HTTP status.",
      labelNames: ["route", "provider", "model", "status"] as const,
      registers,
    }),
    gatewayRequestDuration: new Histogram({
      name: "gateway_request_duration_seconds",
      help: "Time from receiving an AI gateway request to its end (a stream's last byte).",
      labelNames: ["route", "provider", "model", "status"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    gatewayUpstreamDuration: new Histogram({
      name: "gateway_upstream_duration_seconds",
      help: "Time from sending a request upstream to the end of the upstream's answer.",
      labelNames: ["provider", "model"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    gatewayTimeToFirstToken: new Histogram({
      name: "gateway_time_to_first_token_seconds",
      help: "Time from receiving a streaming request to the first generated token.",
      labelNames: ["provider", "model"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    gatewayTokens: new Counter({
      name: "gateway_tokens_total",
      help: "Tokens through the AI gateway: direction input|output, kind raw|weighted (price-weighted as quotas count them).",
      labelNames: ["provider", "model", "direction", "kind"] as const,
      registers,
    }),
    gatewayCost: new Counter({
      name: "gateway_cost_usd_total",
      help: "Cost of AI gateway requests in US dollars, from the configured model prices.",
      labelNames: ["provider", "model"] as const,
      registers,
    }),
    gatewayRateLimited: new Counter({
      name: "gateway_rate_limited_total",
      help: "Gateway requests refused by a rate limit or budget, by surface (ai_gateway, mcp_gateway).",
      labelNames: ["surface"] as const,
      registers,
    }),
    rateLimiterFailOpen: new Counter({
      name: "gateway_rate_limiter_fail_open_total",
      help: "Quota checks let through unchecked because the rate limiter (Redis) could not be asked.",
      registers,
    }),
    budgetFailOpen: new Counter({
      name: "gateway_budget_fail_open_total",
      help: "Quota checks with a budget cap to enforce let through unchecked (nothing reserved) because the rate limiter (Redis) could not be asked.",
      registers,
    }),
    rateLimiterFailClosed: new Counter({
      name: "gateway_rate_limiter_fail_closed_total",
      help: "Quota checks refused because the rate limiter (Redis) could not be asked and the fail policy is closed.",
      registers,
    }),
    budgetAlerts: new Counter({
      name: "gateway_budget_alert_total",
      help: "Budget thresholds crossed, by the kind of subject (user, team, api_key, …).",
      labelNames: ["subject_kind"] as const,
      registers,
    }),
    circuitBreakerState: new Gauge({
      name: "circuit_breaker_state",
      help: "Circuit breaker state per model route: 0 closed, 1 open, 2 half-open.",
      labelNames: ["provider", "route"] as const,
      registers,
    }),
    streamCompletions: new Counter({
      name: "gateway_stream_completion_total",
      help: "How streamed gateway answers ended: completed, client_disconnected, upstream_error, error.",
      labelNames: ["outcome"] as const,
      registers,
    }),
    quotaCheckDuration: new Histogram({
      name: "quota_check_duration_seconds",
      help: "Time quota took to decide one pre-flight check, by result.",
      labelNames: ["result"] as const,
      buckets: FAST_BUCKETS,
      registers,
    }),
    mcpToolCalls: new Counter({
      name: "mcp_tool_calls_total",
      help: "MCP tools/call requests by upstream server and status.",
      labelNames: ["server", "status"] as const,
      registers,
    }),
    mcpToolCallDuration: new Histogram({
      name: "mcp_tool_call_duration_seconds",
      help: "Time of MCP tools/call requests by upstream server.",
      labelNames: ["server"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    mcpUpstreamHealth: new Gauge({
      name: "mcp_upstream_health",
      help: "1 when the last connection to the upstream MCP server succeeded, 0 when it failed.",
      labelNames: ["server"] as const,
      registers,
    }),
    natsRequestDuration: new Histogram({
      name: "nats_request_duration_seconds",
      help: "Bus request/reply latency seen by the caller, by subject and transport (local: answered in this process; nats: over NATS).",
      labelNames: ["subject", "transport"] as const,
      buckets: FAST_BUCKETS,
      registers,
    }),
    natsRequestErrors: new Counter({
      name: "nats_request_errors_total",
      help: "NATS requests that failed, by subject and error code (unavailable = no responder or timeout).",
      labelNames: ["subject", "code"] as const,
      registers,
    }),
    forwarderSent: new Counter({
      name: "forwarder_events_sent_total",
      help: "Audit events delivered by the forwarder, by channel.",
      labelNames: ["channel"] as const,
      registers,
    }),
    forwarderFailed: new Counter({
      name: "forwarder_events_failed_total",
      help: "Audit event deliveries that failed (and will be retried or dead-lettered), by channel.",
      labelNames: ["channel"] as const,
      registers,
    }),
  };
}

export type Instruments = ReturnType<typeof defineInstruments>;
