/**
 * Writes a batch of AUDIT messages to their ClickHouse tables, exactly once per event id: events already stored (a
 * redelivery after a crash between insert and ack, or a batch retried after a partial write) are skipped, so query
 * results never show duplicates even before ReplacingMergeTree merges. Messages that cannot become rows, and rows
 * ClickHouse refuses on their own, are reported as permanent failures (dead letters); the rest land.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { BatchContext, BatchItem, ItemFailure } from "@thinkwatch/bus";
import type { ClickHouse } from "@thinkwatch/clickhouse";
import { eventToRow } from "./event-rows.js";
import { insertIsolatingFailures, type PendingRow, storedEventIds } from "./table-insert.js";

const EVENTS_PER_SLICE = 64;

export interface WriteResult {
  failed: ItemFailure[];
  inserted: number;
  skipped: number;
  sanitized: number;
}

export interface LogWriter {
  write(items: BatchItem<Record<string, unknown>>[], context: BatchContext): Promise<WriteResult>;
}

export function createLogWriter(clickhouse: ClickHouse): LogWriter {
  return {
    async write(items, context) {
      const failed: ItemFailure[] = [];
      const byTable = new Map<string, Map<string, PendingRow>>();
      let sanitized = 0;
      let duplicatesInBatch = 0;
      for (const [index, item] of items.entries()) {
        // Validating and mapping costs microseconds per event: a batch of thousands yields to the event loop between
        // slices, so that requests served by the same process are not held up.
        if (index > 0 && index % EVENTS_PER_SLICE === 0) await nextTurn();
        const mapped = eventToRow(item.subject, item.payload);
        if (!mapped.ok) {
          failed.push({ index, reason: mapped.reason, permanent: true });
          continue;
        }
        if (mapped.row.sanitized === 1) sanitized += 1;
        const rows = byTable.get(mapped.table) ?? new Map<string, PendingRow>();
        if (rows.has(mapped.eventId)) duplicatesInBatch += 1;
        rows.set(mapped.eventId, { index, eventId: mapped.eventId, createdAtMs: mapped.createdAtMs, row: mapped.row });
        byTable.set(mapped.table, rows);
      }
      const mayBeStored = context.attempt > 1 || items.some((item) => item.redeliveries > 0);
      let inserted = 0;
      let skipped = duplicatesInBatch;
      for (const [table, rowMap] of byTable) {
        let rows = [...rowMap.values()];
        if (mayBeStored) {
          const stored = await storedEventIds(clickhouse, table, rows);
          skipped += stored.size;
          rows = rows.filter((row) => !stored.has(row.eventId));
        }
        const refused = await insertIsolatingFailures(clickhouse, table, rows);
        inserted += rows.length - refused.length;
        for (const failure of refused) failed.push({ index: failure.index, reason: failure.reason, permanent: true });
      }
      return { failed, inserted, skipped, sanitized };
    },
  };
}
