-- gateway_logs gains the cost and weighted-token figures the quota engine computes, the request's trace id, and a
-- flag for rows whose values were made safe before the insert (lone surrogates, control characters, cut strings).
-- Columns default to 0 / '' so events published before these fields existed (or without them) still insert, and
-- later optional additions to GatewayRequestEvent never break the insert path.
ALTER TABLE gateway_logs ADD COLUMN cost_usd Float64 DEFAULT 0;
ALTER TABLE gateway_logs ADD COLUMN weighted_input_tokens UInt64 DEFAULT 0;
ALTER TABLE gateway_logs ADD COLUMN weighted_output_tokens UInt64 DEFAULT 0;
ALTER TABLE gateway_logs ADD COLUMN trace_id String DEFAULT '';
ALTER TABLE gateway_logs ADD COLUMN sanitized UInt8 DEFAULT 0;
ALTER TABLE gateway_logs ADD COLUMN sanitize_notes String DEFAULT '';
