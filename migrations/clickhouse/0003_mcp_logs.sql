-- mcp_logs: one row per MCP tool call through the gateway, from audit.v1.evt.mcp_tool_call.completed
-- (McpToolCallEventSchema in proto/src/mcp-log.ts). Arguments arrive already redacted. Same conventions as
-- gateway_logs: '' for absent strings, ReplacingMergeTree keyed by (created_at, event_id) so a redelivered event
-- converges to one row, daily partitions so retention drops whole days.
CREATE TABLE IF NOT EXISTS mcp_logs (
  event_id String,
  created_at DateTime('UTC'),
  created_at_ms UInt64,
  request_id String,
  trace_id String,
  user_id String,
  api_key_id String,
  team_id String,
  session_id String,
  client_name String,
  client_version String,
  server_id String,
  server_name String,
  tool_name String,
  exposed_tool_name String,
  arguments String,
  status String,
  error_code String,
  error_message String,
  request_bytes UInt64,
  response_bytes UInt64,
  latency_ms UInt32,
  client_ip String,
  sanitized UInt8,
  sanitize_notes String
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMMDD(created_at)
ORDER BY (created_at, event_id);
