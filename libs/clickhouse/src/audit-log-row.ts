/**
 * Rows of audit_logs / access_logs / app_logs (migrations/clickhouse/0004) from an AuditRecord, and which of the
 * three tables a record belongs to: console access and platform events have their own retention.
 */
import type { AuditCategory, AuditRecord } from "@thinkwatch/proto";
import * as v from "valibot";
import { toClickHouseDateTime } from "./datetime.js";

export const AuditLogRowSchema = v.object({
  event_id: v.pipe(v.string(), v.minLength(1)),
  created_at: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)),
  created_at_ms: v.pipe(v.number(), v.integer(), v.minValue(0)),
  trace_id: v.string(),
  request_id: v.string(),
  category: v.string(),
  action: v.string(),
  actor_kind: v.string(),
  actor_id: v.string(),
  actor_name: v.string(),
  actor_ip: v.string(),
  actor_user_agent: v.string(),
  target_kind: v.string(),
  target_id: v.string(),
  target_name: v.string(),
  outcome: v.string(),
  team_id: v.string(),
  details: v.string(),
  before_json: v.string(),
  after_json: v.string(),
  sanitized: v.picklist([0, 1]),
  sanitize_notes: v.string(),
});
export type AuditLogRow = v.InferOutput<typeof AuditLogRowSchema>;

export type AuditTable = "audit_logs" | "access_logs" | "app_logs";

export function auditTableOf(category: AuditCategory): AuditTable {
  if (category === "console_access") return "access_logs";
  if (category === "platform") return "app_logs";
  return "audit_logs";
}

const json = (value: unknown) => (value === null || value === undefined ? "" : JSON.stringify(value));

export function auditRecordToRow(record: AuditRecord, sanitizeNotes: string[] = []): AuditLogRow {
  return {
    event_id: record.eventId,
    created_at: toClickHouseDateTime(record.occurredAt),
    created_at_ms: Math.trunc(record.occurredAt),
    trace_id: record.traceId ?? "",
    request_id: record.requestId ?? "",
    category: record.category,
    action: record.action,
    actor_kind: record.actor.kind,
    actor_id: record.actor.id ?? "",
    actor_name: record.actor.name ?? "",
    actor_ip: record.actor.ip ?? "",
    actor_user_agent: record.actor.userAgent ?? "",
    target_kind: record.target?.kind ?? "",
    target_id: record.target?.id ?? "",
    target_name: record.target?.name ?? "",
    outcome: record.outcome,
    team_id: record.teamId ?? "",
    details: JSON.stringify(record.details),
    before_json: json(record.before),
    after_json: json(record.after),
    sanitized: sanitizeNotes.length > 0 ? 1 : 0,
    sanitize_notes: sanitizeNotes.join(",").slice(0, 1000),
  };
}
