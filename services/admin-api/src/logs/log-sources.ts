/**
 * What the explorer can search per source: the ClickHouse table, the query fields (each a column and a type),
 * the columns free text looks in, the column that says whose row it is, and the one-line summary.
 */
import type { LogSource } from "@thinkwatch/console-api";

export interface FieldSpec {
  column: string;
  type: "string" | "number";
}

export interface SourceSpec {
  table: string;
  fields: Record<string, FieldSpec>;
  textColumns: string[];
  /** Rows of other users are hidden from callers without logs:read_all. */
  ownerColumn: string;
  summary(row: Record<string, unknown>): string;
}

const str = (column: string): FieldSpec => ({ column, type: "string" });
const num = (column: string): FieldSpec => ({ column, type: "number" });

const auditLike = (table: string): SourceSpec => ({
  table,
  fields: {
    user: str("actor_id"),
    actor: str("actor_name"),
    ip: str("actor_ip"),
    action: str("action"),
    category: str("category"),
    outcome: str("outcome"),
    target: str("target_id"),
    target_kind: str("target_kind"),
    team: str("team_id"),
    request: str("request_id"),
    trace: str("trace_id"),
  },
  textColumns: ["action", "actor_name", "target_name", "details", "before_json", "after_json"],
  ownerColumn: "actor_id",
  summary: (row) => `${row.action} ${row.outcome}${row.target_name ? ` · ${row.target_name}` : ""}`,
});

export const LOG_SOURCE_SPECS: Record<LogSource, SourceSpec> = {
  gateway: {
    table: "gateway_logs",
    fields: {
      user: str("user_id"),
      key: str("api_key_id"),
      team: str("team_id"),
      model: str("model"),
      upstream_model: str("upstream_model"),
      provider: str("provider_id"),
      api: str("inbound_api"),
      status: num("status_code"),
      error: str("error_code"),
      latency: num("latency_ms"),
      input_tokens: num("input_tokens"),
      output_tokens: num("output_tokens"),
      cost: num("cost_usd"),
      request: str("request_id"),
      trace: str("trace_id"),
      ip: str("client_ip"),
    },
    textColumns: ["model", "upstream_model", "request_id", "error_code", "user_agent", "provider_id"],
    ownerColumn: "user_id",
    summary: (row) => `${row.model} ${row.status_code}`,
  },
  mcp: {
    table: "mcp_logs",
    fields: {
      user: str("user_id"),
      key: str("api_key_id"),
      team: str("team_id"),
      server: str("server_name"),
      tool: str("tool_name"),
      exposed_tool: str("exposed_tool_name"),
      status: str("status"),
      error: str("error_code"),
      latency: num("latency_ms"),
      session: str("session_id"),
      client: str("client_name"),
      request: str("request_id"),
      trace: str("trace_id"),
    },
    textColumns: ["tool_name", "exposed_tool_name", "server_name", "arguments", "error_message"],
    ownerColumn: "user_id",
    summary: (row) => `${row.exposed_tool_name || row.tool_name} ${row.status}`,
  },
  audit: auditLike("audit_logs"),
  access: auditLike("access_logs"),
  app: auditLike("app_logs"),
};
