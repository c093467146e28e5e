/**
 * Writes gateway request events to `gateway_logs`, exactly once per event id: ids already stored (a redelivery after
 * a crash between insert and ack) are skipped, so the table converges to one row per event even before
 * ReplacingMergeTree merges.
 */
import type { BatchItem } from "@thinkwatch/bus";
import { type ClickHouse, gatewayEventToRow, sql } from "@thinkwatch/clickhouse";
import type { GatewayRequestEvent } from "@thinkwatch/proto";

const HOUR_MS = 3_600_000;

export interface GatewayLogWriter {
  write(items: BatchItem<GatewayRequestEvent>[]): Promise<{ inserted: number; skipped: number }>;
}

export function createGatewayLogWriter(clickhouse: ClickHouse): GatewayLogWriter {
  return {
    async write(items) {
      const unique = new Map<string, GatewayRequestEvent>();
      for (const item of items) unique.set(item.payload.eventId, item.payload);
      const events = [...unique.values()];
      let existing = new Set<string>();
      // Only redeliveries can already be stored; a first delivery skips the lookup.
      if (items.some((item) => item.redeliveries > 0)) {
        const times = events.map((e) => e.occurredAt);
        const rows = await clickhouse.query<{ event_id: string }>(
          sql(
            "SELECT event_id FROM gateway_logs WHERE created_at >= {from:DateTime} AND created_at <= {to:DateTime} AND event_id IN {ids:Array(String)}",
            {
              from: new Date(Math.min(...times) - HOUR_MS),
              to: new Date(Math.max(...times) + HOUR_MS),
              ids: events.map((e) => e.eventId),
            },
          ),
        );
        existing = new Set(rows.map((row) => row.event_id));
      }
      const fresh = events.filter((e) => !existing.has(e.eventId));
      if (fresh.length > 0) await clickhouse.insert("gateway_logs", fresh.map(gatewayEventToRow));
      return { inserted: fresh.length, skipped: items.length - fresh.length };
    },
  };
}
