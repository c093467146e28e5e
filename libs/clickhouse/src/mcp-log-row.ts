/** The mcp_logs row (migrations/clickhouse/0003) and the pure mapping from McpToolCallEvent to it. */
import type { McpToolCallEvent } from "@thinkwatch/proto";
import * as v from "valibot";
import { toClickHouseDateTime } from "./datetime.js";

const uint = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));

export const McpLogRowSchema = v.object({
  event_id: v.pipe(v.string(), v.minLength(1)),
  created_at: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)),
  created_at_ms: uint(Number.MAX_SAFE_INTEGER),
  request_id: v.string(),
  trace_id: v.string(),
  user_id: v.string(),
  api_key_id: v.string(),
  team_id: v.string(),
  session_id: v.string(),
  client_name: v.string(),
  client_version: v.string(),
  server_id: v.string(),
  server_name: v.string(),
  tool_name: v.string(),
  exposed_tool_name: v.string(),
  arguments: v.string(),
  status: v.string(),
  error_code: v.string(),
  error_message: v.string(),
  request_bytes: uint(Number.MAX_SAFE_INTEGER),
  response_bytes: uint(Number.MAX_SAFE_INTEGER),
  latency_ms: uint(4_294_967_295),
  client_ip: v.string(),
  sanitized: v.picklist([0, 1]),
  sanitize_notes: v.string(),
});
export type McpLogRow = v.InferOutput<typeof McpLogRowSchema>;

export function mcpEventToRow(event: McpToolCallEvent, sanitizeNotes: string[] = []): McpLogRow {
  return {
    event_id: event.eventId,
    created_at: toClickHouseDateTime(event.occurredAt),
    created_at_ms: Math.trunc(event.occurredAt),
    request_id: event.requestId,
    trace_id: event.traceId ?? "",
    user_id: event.userId ?? "",
    api_key_id: event.apiKeyId ?? "",
    team_id: event.teamId ?? "",
    session_id: event.sessionId ?? "",
    client_name: event.clientName ?? "",
    client_version: event.clientVersion ?? "",
    server_id: event.serverId ?? "",
    server_name: event.serverName ?? "",
    tool_name: event.toolName,
    exposed_tool_name: event.exposedToolName,
    arguments: event.argumentsRedacted,
    status: event.status,
    error_code: event.errorCode ?? "",
    error_message: event.errorMessage ?? "",
    request_bytes: event.requestBytes,
    response_bytes: event.responseBytes,
    latency_ms: event.latencyMs,
    client_ip: event.clientIp ?? "",
    sanitized: sanitizeNotes.length > 0 ? 1 : 0,
    sanitize_notes: sanitizeNotes.join(",").slice(0, 1000),
  };
}
