/**
 * Inserting one table's rows so that a row ClickHouse refuses cannot take the others down with it: a refused
 * insert is split in halves and retried until the refused rows are isolated; those come back as failures with
 * ClickHouse's reason. Retryable errors (server away, overloaded) are thrown for the caller to retry whole.
 */
import type { ClickHouse } from "@thinkwatch/clickhouse";
import { toAppError } from "@thinkwatch/errors";

const HOUR_MS = 3_600_000;

export interface PendingRow {
  /** Index of the message in its batch. */
  index: number;
  eventId: string;
  createdAtMs: number;
  row: Record<string, unknown>;
}

export interface RowFailure {
  index: number;
  reason: string;
}

/** Event ids of these rows already in the table: only a redelivery or a retried batch can have any. */
export async function storedEventIds(clickhouse: ClickHouse, table: string, rows: PendingRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const times = rows.map((r) => r.createdAtMs);
  const found = await clickhouse.query<{ event_id: string }>(
    "SELECT event_id FROM {table:Identifier} WHERE created_at >= {from:DateTime} AND created_at <= {to:DateTime} AND event_id IN {ids:Array(String)}",
    {
      table,
      from: new Date(Math.max(0, Math.min(...times) - HOUR_MS)),
      to: new Date(Math.max(...times) + HOUR_MS),
      ids: rows.map((r) => r.eventId),
    },
  );
  return new Set(found.map((row) => row.event_id));
}

export async function insertIsolatingFailures(clickhouse: ClickHouse, table: string, rows: PendingRow[]): Promise<RowFailure[]> {
  if (rows.length === 0) return [];
  try {
    await clickhouse.insert(
      table,
      rows.map((r) => r.row),
    );
    return [];
  } catch (caught) {
    const error = toAppError(caught);
    if (error.retryable) throw error;
    if (rows.length === 1) {
      return [{ index: (rows[0] as PendingRow).index, reason: `ClickHouse refused the row: ${error.message}` }];
    }
    const half = Math.ceil(rows.length / 2);
    const left = await insertIsolatingFailures(clickhouse, table, rows.slice(0, half));
    const right = await insertIsolatingFailures(clickhouse, table, rows.slice(half));
    return [...left, ...right];
  }
}
