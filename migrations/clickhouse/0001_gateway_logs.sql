-- gateway_logs: one row per request through the gateway, written by audit-ingest from
-- audit.v1.evt.gateway_request.completed (GatewayRequestEventSchema in proto/src/audit.ts).
--
-- Absent values are '' rather than NULL (team_id, provider_id, provider_kind, upstream_model, error_code, client_ip,
-- user_agent): they are grouped and filtered on, and plain String keeps that simple and cheap on every server
-- version. time_to_first_token_ms stays Nullable because 0 ms would be a real, misleading measurement.
--
-- ReplacingMergeTree with ORDER BY (created_at, event_id): a redelivered event has the same key and converges to one
-- row when parts merge (queries that must not double count use FINAL or GROUP BY event_id).
-- created_at is DateTime('UTC') so a server in another time zone reads the same instants; created_at_ms keeps the
-- milliseconds that DateTime drops. Retention: old monthly partitions are dropped on a schedule (no TTL on 18.16).
CREATE TABLE IF NOT EXISTS gateway_logs (
  event_id String,
  created_at DateTime('UTC'),
  created_at_ms UInt64,
  request_id String,
  api_key_id String,
  user_id String,
  team_id String,
  provider_id String,
  provider_kind String,
  inbound_api String,
  model String,
  upstream_model String,
  stream UInt8,
  status_code UInt16,
  error_code String,
  input_tokens UInt64,
  output_tokens UInt64,
  cached_tokens UInt64,
  reasoning_tokens UInt64,
  latency_ms UInt32,
  time_to_first_token_ms Nullable(UInt32),
  client_ip String,
  user_agent String
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(created_at)
ORDER BY (created_at, event_id);
