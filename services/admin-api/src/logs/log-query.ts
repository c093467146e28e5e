/**
 * A parsed query → one safe ClickHouse SELECT per source: every field maps to a fixed column, every value is a
 * bound, typed literal, free text uses position functions (no LIKE patterns to escape), the caller's scope and
 * the time range are always part of the WHERE. Pages are keyset-paginated on (created_at_ms, event_id) and a
 * redelivered event shows once (LIMIT 1 BY event_id).
 */

import type { ClickHouse, SqlParams, SqlValue } from "@thinkwatch/clickhouse";
import type { LogRow, LogSource } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import * as v from "valibot";
import { LOG_SOURCE_SPECS } from "./log-sources.js";
import type { ParsedQuery } from "./query-syntax.js";

export interface LogScope {
  /** null: every user's rows (logs:read_all); otherwise only this user's. */
  ownerId: string | null;
  fromMs: number;
  toMs: number;
  limit: number;
  cursor: LogCursor | null;
}

export const LogCursorSchema = v.object({
  t: v.pipe(v.number(), v.integer(), v.minValue(0)),
  id: v.pipe(v.string(), v.maxLength(100)),
});
export type LogCursor = v.InferOutput<typeof LogCursorSchema>;

export function encodeCursor(cursor: LogCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

export function decodeCursor(text: string): LogCursor {
  try {
    return v.parse(LogCursorSchema, JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
  } catch {
    throw new AppError("bad_request", "cursor is not one this API issued");
  }
}

const NUMBER = /^-?\d{1,15}(\.\d{1,6})?$/;

export function buildLogQuery(source: LogSource, query: ParsedQuery, scope: LogScope): { template: string; params: SqlParams } {
  const spec = LOG_SOURCE_SPECS[source];
  const where: string[] = ["created_at >= {from:DateTime}", "created_at <= {to:DateTime}"];
  const params: Record<string, SqlValue> = { table: spec.table, from: Math.floor(scope.fromMs / 1000) * 1000, to: scope.toMs };
  let n = 0;
  const bind = (value: SqlValue, type: string) => {
    const name = `p${n++}`;
    params[name] = value;
    return `{${name}:${type}}`;
  };
  if (scope.ownerId !== null) where.push(`${spec.ownerColumn} = ${bind(scope.ownerId, "String")}`);
  for (const term of query.terms) {
    const field = spec.fields[term.field];
    if (field === undefined) {
      throw new AppError("bad_request", `unknown field '${term.field}' for ${source} logs`, {
        details: { fields: Object.keys(spec.fields) },
      });
    }
    if (field.type === "number") {
      if (!NUMBER.test(term.value)) throw new AppError("bad_request", `${term.field}: '${term.value}' is not a number`);
      where.push(`${field.column} ${term.op} ${bind(Number(term.value), "Float64")}`);
    } else {
      if (term.op !== "=" && term.op !== "!=") {
        throw new AppError("bad_request", `${term.field}: only = and != apply to text (got ${term.op})`);
      }
      where.push(`${field.column} ${term.op} ${bind(term.value, "String")}`);
    }
  }
  for (const phrase of query.text) {
    const needle = bind(phrase, "String");
    where.push(`(${spec.textColumns.map((column) => `positionCaseInsensitiveUTF8(${column}, ${needle}) > 0`).join(" OR ")})`);
  }
  if (scope.cursor !== null) {
    const t = bind(scope.cursor.t, "UInt64");
    where.push(`(created_at_ms < ${t} OR (created_at_ms = ${t} AND event_id < ${bind(scope.cursor.id, "String")}))`);
  }
  // LIMIT takes only a literal on 18.16: the limit is an integer this code validated (1-200), never caller text.
  const limit = Math.trunc(scope.limit) + 1;
  if (!Number.isSafeInteger(limit) || limit < 2 || limit > 1001) throw new AppError("bad_request", "limit must be 1-200");
  return {
    template: `SELECT * FROM {table:Identifier} WHERE ${where.join(" AND ")} ORDER BY created_at_ms DESC, event_id DESC LIMIT 1 BY event_id LIMIT ${limit}`,
    params,
  };
}

export function toLogRow(source: LogSource, row: Record<string, unknown>): LogRow {
  return {
    source,
    eventId: String(row.event_id),
    occurredAt: Number(row.created_at_ms),
    summary: LOG_SOURCE_SPECS[source].summary(row),
    fields: row,
  };
}

/** One page across one or more sources, newest first; the next cursor continues after the page's last row. */
export async function searchLogs(
  clickhouse: ClickHouse,
  sources: readonly LogSource[],
  query: ParsedQuery,
  scope: LogScope,
): Promise<{ rows: LogRow[]; nextCursor: string | null }> {
  const perSource = await Promise.all(
    sources.map(async (source) => {
      const { template, params } = buildLogQuery(source, query, scope);
      const rows = await clickhouse.query<Record<string, unknown>>(template, params);
      return rows.map((row) => toLogRow(source, row));
    }),
  );
  const merged = perSource
    .flat()
    .sort((a, b) => b.occurredAt - a.occurredAt || (a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0));
  const page = merged.slice(0, scope.limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: merged.length > scope.limit && last !== undefined ? encodeCursor({ t: last.occurredAt, id: last.eventId }) : null,
  };
}
