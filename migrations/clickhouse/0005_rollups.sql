-- Rollups for analytics, fed by materialized views on insert (no TTL/projections on 18.16, so plain target tables).
-- SummingMergeTree adds rows with the same key when parts merge; readers still sum() with GROUP BY, since merging
-- is eventual. Latency percentiles keep mergeable quantile states in an AggregatingMergeTree.
CREATE TABLE IF NOT EXISTS gateway_usage_hourly (
  hour DateTime('UTC'),
  user_id String,
  api_key_id String,
  team_id String,
  provider_id String,
  model String,
  requests UInt64,
  errors UInt64,
  input_tokens UInt64,
  output_tokens UInt64,
  weighted_input_tokens UInt64,
  weighted_output_tokens UInt64,
  cost_usd Float64,
  latency_ms_sum UInt64
) ENGINE = SummingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, user_id, api_key_id, model, provider_id, team_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS gateway_usage_hourly_mv TO gateway_usage_hourly AS
SELECT
  toStartOfHour(created_at) AS hour,
  user_id,
  api_key_id,
  team_id,
  provider_id,
  model,
  count() AS requests,
  countIf(status_code >= 400) AS errors,
  sum(input_tokens) AS input_tokens,
  sum(output_tokens) AS output_tokens,
  sum(weighted_input_tokens) AS weighted_input_tokens,
  sum(weighted_output_tokens) AS weighted_output_tokens,
  sum(cost_usd) AS cost_usd,
  sum(toUInt64(latency_ms)) AS latency_ms_sum
FROM gateway_logs
GROUP BY hour, user_id, api_key_id, team_id, provider_id, model;

CREATE TABLE IF NOT EXISTS gateway_latency_hourly (
  hour DateTime('UTC'),
  model String,
  latency AggregateFunction(quantiles(0.5, 0.95, 0.99), UInt32)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, model);

CREATE MATERIALIZED VIEW IF NOT EXISTS gateway_latency_hourly_mv TO gateway_latency_hourly AS
SELECT toStartOfHour(created_at) AS hour, model, quantilesState(0.5, 0.95, 0.99)(latency_ms) AS latency
FROM gateway_logs
GROUP BY hour, model;

CREATE TABLE IF NOT EXISTS mcp_usage_hourly (
  hour DateTime('UTC'),
  user_id String,
  server_name String,
  tool_name String,
  calls UInt64,
  errors UInt64,
  latency_ms_sum UInt64
) ENGINE = SummingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, user_id, server_name, tool_name);

CREATE MATERIALIZED VIEW IF NOT EXISTS mcp_usage_hourly_mv TO mcp_usage_hourly AS
SELECT
  toStartOfHour(created_at) AS hour,
  user_id,
  server_name,
  tool_name,
  count() AS calls,
  countIf(status != 'success') AS errors,
  sum(toUInt64(latency_ms)) AS latency_ms_sum
FROM mcp_logs
GROUP BY hour, user_id, server_name, tool_name;
