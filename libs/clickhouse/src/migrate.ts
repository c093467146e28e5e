/**
 * Applies migrations/clickhouse in order and records each in `schema_migrations` of the client's database.
 * No lock exists on ClickHouse, so concurrent runners are made safe instead: every statement is idempotent
 * (`IF NOT EXISTS`), the record table deduplicates by version, and a runner that loses a DDL race retries.
 */
import { AppError } from "@thinkwatch/errors";
import type { ClickHouse } from "./client.js";
import { toClickHouseDateTime } from "./datetime.js";
import { type MigrationFile, readMigrationFiles } from "./migration-files.js";

export interface MigrationReport {
  /** Names applied by this call (another runner may have applied them at the same time too). */
  applied: string[];
  /** Names that were already recorded. */
  skipped: string[];
}

const RECORD_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version UInt32,
  name String,
  checksum String,
  applied_at DateTime('UTC')
) ENGINE = ReplacingMergeTree() ORDER BY version`;

const DDL_RACE = /already exists|is creating or attaching right now|is (being )?(dropped|detached)/i;
/** 18.16 has no `ADD COLUMN IF NOT EXISTS`: a column another runner (or a half-applied migration) added is done. */
const ADD_COLUMN = /^\s*ALTER\s+TABLE\s+\S+\s+ADD\s+COLUMN\s/i;
const COLUMN_EXISTS = "44";
const RACE_RETRIES = 5;

/** Runs one DDL statement, retrying when another runner is creating the same object at this moment. */
async function runIdempotent(ch: ClickHouse, statement: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ch.command(statement);
      return;
    } catch (caught) {
      const code = caught instanceof AppError ? caught.details?.clickhouseCode : undefined;
      if (code === COLUMN_EXISTS && ADD_COLUMN.test(statement)) return;
      const race = code === "57" || (caught instanceof Error && DDL_RACE.test(caught.message));
      if (!race || attempt >= RACE_RETRIES) throw caught;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function recorded(ch: ClickHouse): Promise<Map<number, { name: string; checksum: string }>> {
  const rows = await ch.query<{ version: number; name: string; checksum: string }>(
    "SELECT version, any(name) AS name, any(checksum) AS checksum FROM schema_migrations GROUP BY version",
  );
  return new Map(rows.map((row) => [Number(row.version), { name: row.name, checksum: row.checksum }]));
}

async function apply(ch: ClickHouse, migration: MigrationFile): Promise<void> {
  for (const statement of migration.statements) await runIdempotent(ch, statement);
  await ch.insert("schema_migrations", [
    {
      version: migration.version,
      name: migration.name,
      checksum: migration.checksum,
      applied_at: toClickHouseDateTime(Date.now()),
    },
  ]);
}

export async function migrateClickHouse(ch: ClickHouse, dir: string): Promise<MigrationReport> {
  const migrations = readMigrationFiles(dir);
  await runIdempotent(ch, RECORD_TABLE);
  const done = await recorded(ch);
  const report: MigrationReport = { applied: [], skipped: [] };
  for (const migration of migrations) {
    const previous = done.get(migration.version);
    if (previous === undefined) {
      await apply(ch, migration);
      report.applied.push(migration.name);
    } else if (previous.checksum !== migration.checksum) {
      throw new AppError(
        "conflict",
        `ClickHouse migration ${migration.name} changed after it was applied; add a new migration instead`,
        {
          details: { version: migration.version, recordedName: previous.name },
        },
      );
    } else {
      report.skipped.push(migration.name);
    }
  }
  return report;
}
