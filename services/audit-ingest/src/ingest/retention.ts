/**
 * Retention: once a day (and at start), drop every partition whose newest row is older than its table's retention
 * from the `audit` settings. 18.16 has no TTL, so whole partitions go; DROP PARTITION replicates on replicated
 * tables and dropping one twice is harmless, so every replica may run this.
 */
import type { SettingsHolder } from "@thinkwatch/bus";
import type { ClickHouse } from "@thinkwatch/clickhouse";
import type { Logger } from "@thinkwatch/log";
import type { Settings } from "@thinkwatch/proto";

const DAY_MS = 86_400_000;

export const RETENTION_TABLES: Record<string, (audit: Settings["audit"]) => number> = {
  gateway_logs: (a) => a.retentionDaysGateway,
  mcp_logs: (a) => a.retentionDaysMcp,
  audit_logs: (a) => a.retentionDaysAudit,
  access_logs: (a) => a.retentionDaysAccess,
  app_logs: (a) => a.retentionDaysApp,
};

export interface DroppedPartition {
  table: string;
  partition: string;
}

/** Drops expired partitions now; returns what was dropped. */
export async function enforceRetention(
  clickhouse: ClickHouse,
  settings: Settings,
  now = Date.now(),
): Promise<DroppedPartition[]> {
  const parts = await clickhouse.query<{ table: string; partition: string; newest: string }>(
    "SELECT table, partition, toString(max(max_time)) AS newest FROM system.parts WHERE database = {db:String} AND active AND table IN {tables:Array(String)} GROUP BY table, partition",
    { db: clickhouse.database, tables: Object.keys(RETENTION_TABLES) },
  );
  const dropped: DroppedPartition[] = [];
  for (const part of parts) {
    const days = RETENTION_TABLES[part.table]?.(settings.audit);
    // Partition ids of these tables are toYYYYMM / toYYYYMMDD numbers; anything else is not ours to drop.
    if (days === undefined || !/^\d{6,8}$/.test(part.partition)) continue;
    const newest = Date.parse(`${part.newest.replace(" ", "T")}Z`);
    if (!Number.isFinite(newest) || newest >= now - days * DAY_MS) continue;
    await clickhouse.command(`ALTER TABLE {table:Identifier} DROP PARTITION ${part.partition}`, { table: part.table });
    dropped.push({ table: part.table, partition: part.partition });
  }
  return dropped;
}

export function scheduleRetention(clickhouse: ClickHouse, settings: SettingsHolder, log: Logger): { stop(): void } {
  const run = () =>
    enforceRetention(clickhouse, settings.current()).then(
      (dropped) => {
        if (dropped.length > 0) log.info({ dropped }, "dropped partitions past their retention");
      },
      (caught) => log.error({ err: caught }, "retention run failed; next try in a day"),
    );
  const first = setTimeout(run, 60_000).unref();
  const daily = setInterval(run, DAY_MS).unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(daily);
    },
  };
}
