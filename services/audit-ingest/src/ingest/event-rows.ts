/**
 * One AUDIT message → the table and row it becomes: validated against its subject's contract, every value made safe
 * (lone surrogates, control characters, oversize strings) with notes kept on the row, then checked against what its
 * row schema demands beyond the row's type (column ranges, DateTime text: rowLimitsOf). A message that cannot become
 * a row says why, and is dead-lettered with that reason.
 */
import { isSanitized, type SanitizeReport, sanitizeValue } from "@thinkwatch/bus";
import {
  AuditLogRowSchema,
  auditRecordToRow,
  auditTableOf,
  GATEWAY_LOGS_TABLE,
  GatewayLogRowSchema,
  gatewayEventToRow,
  McpLogRowSchema,
  mcpEventToRow,
  rowLimitsOf,
} from "@thinkwatch/clickhouse";
import {
  AUDIT_SUBJECT_ROOT,
  AuditRecordSchema,
  checkSchema,
  GatewayRequestCompleted,
  GatewayRequestEventSchema,
  McpToolCallCompleted,
  McpToolCallEventSchema,
} from "@thinkwatch/proto";
import type * as v from "valibot";

// Rows are built by typed mappings from validated events: only what their types cannot say is checked again.
const GATEWAY_ROW_LIMITS = rowLimitsOf(GatewayLogRowSchema);
const MCP_ROW_LIMITS = rowLimitsOf(McpLogRowSchema);
const AUDIT_ROW_LIMITS = rowLimitsOf(AuditLogRowSchema);

export type EventRow =
  | { ok: true; table: string; eventId: string; createdAtMs: number; row: Record<string, unknown> }
  | { ok: false; reason: string; eventId: string | null };

function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const path = issue?.path?.map((p) => String(p.key)).join(".") ?? "";
  return `${path === "" ? "" : `${path}: `}${issue?.message ?? "invalid"}`;
}

/** The row itself when it is within its limits (the check's own output holds only the columns it checks). */
function withinLimits<R extends object>(
  limits: v.GenericSchema,
  row: R,
  what: string,
): { ok: true; value: R } | { ok: false; reason: string } {
  const parsed = checkSchema(limits, row);
  return parsed.success ? { ok: true, value: row } : { ok: false, reason: `${what}: ${firstIssue(parsed.issues)}` };
}

function checked<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  what: string,
): { ok: true; value: v.InferOutput<S> } | { ok: false; reason: string } {
  const parsed = checkSchema(schema, value);
  return parsed.success ? { ok: true, value: parsed.output } : { ok: false, reason: `${what}: ${firstIssue(parsed.issues)}` };
}

export function eventToRow(subject: string, raw: unknown): EventRow {
  const report: SanitizeReport = { notes: [] };
  // Most events are clean and are read as they arrived; a copy is made only to change something.
  const payload = (isSanitized(raw) ? raw : sanitizeValue(raw, report)) as Record<string, unknown>;
  const eventId = typeof payload.eventId === "string" ? payload.eventId : null;
  const fail = (reason: string): EventRow => ({ ok: false, reason, eventId });
  try {
    if (subject === GatewayRequestCompleted.subject) {
      const event = checked(GatewayRequestEventSchema, payload, "gateway event outside its contract");
      if (!event.ok) return fail(event.reason);
      const row = withinLimits(GATEWAY_ROW_LIMITS, gatewayEventToRow(event.value, report.notes), "gateway_logs row invalid");
      if (!row.ok) return fail(row.reason);
      return {
        ok: true,
        table: GATEWAY_LOGS_TABLE,
        eventId: event.value.eventId,
        createdAtMs: event.value.occurredAt,
        row: row.value,
      };
    }
    if (subject === McpToolCallCompleted.subject) {
      const event = checked(McpToolCallEventSchema, payload, "MCP event outside its contract");
      if (!event.ok) return fail(event.reason);
      const row = withinLimits(MCP_ROW_LIMITS, mcpEventToRow(event.value, report.notes), "mcp_logs row invalid");
      if (!row.ok) return fail(row.reason);
      return { ok: true, table: "mcp_logs", eventId: event.value.eventId, createdAtMs: event.value.occurredAt, row: row.value };
    }
    if (subject.startsWith(`${AUDIT_SUBJECT_ROOT}.`)) {
      const record = checked(AuditRecordSchema, payload, "audit record outside its contract");
      if (!record.ok) return fail(record.reason);
      if (subject !== `${AUDIT_SUBJECT_ROOT}.${record.value.action}`) {
        return fail(`audit record action ${record.value.action} does not match its subject`);
      }
      const row = withinLimits(AUDIT_ROW_LIMITS, auditRecordToRow(record.value, report.notes), "audit row invalid");
      if (!row.ok) return fail(row.reason);
      return {
        ok: true,
        table: auditTableOf(record.value.category),
        eventId: record.value.eventId,
        createdAtMs: record.value.occurredAt,
        row: row.value,
      };
    }
    return fail(`no table for subject ${subject}`);
  } catch (caught) {
    // e.g. a timestamp outside what DateTime can hold
    return fail(caught instanceof Error ? caught.message : String(caught));
  }
}
