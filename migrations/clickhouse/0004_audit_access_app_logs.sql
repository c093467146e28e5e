-- Audit records (AuditRecordSchema in proto/src/audit.ts), one table per retention class, all with the record's
-- shape: audit_logs (auth, admin changes, key lifecycle, budget alerts, circuit breaker), access_logs (console
-- access), app_logs (platform events). details/before/after hold JSON text (no JSON type on 18.16). Same
-- conventions as gateway_logs: '' for absent strings, ReplacingMergeTree keyed by (created_at, event_id), daily
-- partitions dropped by the retention job.
CREATE TABLE IF NOT EXISTS audit_logs (
  event_id String,
  created_at DateTime('UTC'),
  created_at_ms UInt64,
  trace_id String,
  request_id String,
  category String,
  action String,
  actor_kind String,
  actor_id String,
  actor_name String,
  actor_ip String,
  actor_user_agent String,
  target_kind String,
  target_id String,
  target_name String,
  outcome String,
  team_id String,
  details String,
  before_json String,
  after_json String,
  sanitized UInt8,
  sanitize_notes String
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMMDD(created_at)
ORDER BY (created_at, event_id);

CREATE TABLE IF NOT EXISTS access_logs (
  event_id String,
  created_at DateTime('UTC'),
  created_at_ms UInt64,
  trace_id String,
  request_id String,
  category String,
  action String,
  actor_kind String,
  actor_id String,
  actor_name String,
  actor_ip String,
  actor_user_agent String,
  target_kind String,
  target_id String,
  target_name String,
  outcome String,
  team_id String,
  details String,
  before_json String,
  after_json String,
  sanitized UInt8,
  sanitize_notes String
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMMDD(created_at)
ORDER BY (created_at, event_id);

CREATE TABLE IF NOT EXISTS app_logs (
  event_id String,
  created_at DateTime('UTC'),
  created_at_ms UInt64,
  trace_id String,
  request_id String,
  category String,
  action String,
  actor_kind String,
  actor_id String,
  actor_name String,
  actor_ip String,
  actor_user_agent String,
  target_kind String,
  target_id String,
  target_name String,
  outcome String,
  team_id String,
  details String,
  before_json String,
  after_json String,
  sanitized UInt8,
  sanitize_notes String
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMMDD(created_at)
ORDER BY (created_at, event_id);
