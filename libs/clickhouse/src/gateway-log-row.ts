/**
 * The gateway_logs row (migrations/clickhouse/0001_gateway_logs.sql, 0002) and the pure mapping from the bus event to
 * it. audit-ingest checks each row against GatewayLogRowSchema's limits (rowLimitsOf) before inserting. Fields other
 * engineers add to the event later (cost, weighted tokens, trace id) are read when present and default to 0 / ''
 * otherwise.
 */
import type { GatewayRequestEvent } from "@thinkwatch/proto";
import * as v from "valibot";
import { toClickHouseDateTime } from "./datetime.js";

const uint = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));
const UInt8 = uint(255);
const UInt16 = uint(65_535);
const UInt32 = uint(4_294_967_295);
/** UInt64 columns hold counts and epoch ms: JS numbers are exact up to 2^53, far beyond either. */
const UInt64 = uint(Number.MAX_SAFE_INTEGER);

export const GatewayLogRowSchema = v.object({
  event_id: v.pipe(v.string(), v.minLength(1)),
  created_at: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)),
  created_at_ms: UInt64,
  request_id: v.string(),
  /** '' when absent, for every optional String column. */
  api_key_id: v.string(),
  user_id: v.string(),
  team_id: v.string(),
  provider_id: v.string(),
  provider_kind: v.string(),
  inbound_api: v.string(),
  model: v.string(),
  upstream_model: v.string(),
  stream: UInt8,
  status_code: UInt16,
  error_code: v.string(),
  input_tokens: UInt64,
  output_tokens: UInt64,
  cached_tokens: UInt64,
  reasoning_tokens: UInt64,
  latency_ms: UInt32,
  time_to_first_token_ms: v.nullable(UInt32),
  client_ip: v.string(),
  user_agent: v.string(),
  cost_usd: v.pipe(v.number(), v.finite(), v.minValue(0)),
  weighted_input_tokens: UInt64,
  weighted_output_tokens: UInt64,
  trace_id: v.string(),
  sanitized: UInt8,
  sanitize_notes: v.string(),
});
export type GatewayLogRow = v.InferOutput<typeof GatewayLogRowSchema>;

export const GATEWAY_LOGS_TABLE = "gateway_logs";

/** Maps a validated event to its row; the result is still checked against the schema's limits before the insert. */
export function gatewayEventToRow(event: GatewayRequestEvent, sanitizeNotes: string[] = []): GatewayLogRow {
  return {
    event_id: event.eventId,
    created_at: toClickHouseDateTime(event.occurredAt),
    created_at_ms: Math.trunc(event.occurredAt),
    request_id: event.requestId,
    api_key_id: event.apiKeyId,
    user_id: event.userId,
    team_id: event.teamId ?? "",
    provider_id: event.providerId ?? "",
    provider_kind: event.providerKind ?? "",
    inbound_api: event.inboundApi,
    model: event.model,
    upstream_model: event.upstreamModel ?? "",
    stream: event.stream ? 1 : 0,
    status_code: event.statusCode,
    error_code: event.errorCode ?? "",
    input_tokens: event.inputTokens,
    output_tokens: event.outputTokens,
    cached_tokens: event.cachedTokens,
    reasoning_tokens: event.reasoningTokens,
    latency_ms: event.latencyMs,
    time_to_first_token_ms: event.timeToFirstTokenMs,
    client_ip: event.clientIp ?? "",
    user_agent: event.userAgent ?? "",
    cost_usd: event.costUsd ?? 0,
    weighted_input_tokens: Math.trunc(event.weightedInputTokens ?? 0),
    weighted_output_tokens: Math.trunc(event.weightedOutputTokens ?? 0),
    trace_id: event.traceId ?? "",
    sanitized: sanitizeNotes.length > 0 ? 1 : 0,
    sanitize_notes: sanitizeNotes.join(",").slice(0, 1000),
  };
}
