/** `migrate`: bring PostgreSQL and ClickHouse to the current schema (idempotent, safe to run from several pods). */
import { resolve } from "node:path";
import { createClickHouse, migrateClickHouse } from "@thinkwatch/clickhouse";
import { ConfigError, clickhouseEntries, databaseEntries, parseEnv } from "@thinkwatch/config";
import { migratePostgres } from "@thinkwatch/db";
import * as v from "valibot";

const MigrateConfigSchema = v.object({ ...databaseEntries, ...clickhouseEntries });

export async function runMigrations(env: Record<string, string | undefined>): Promise<boolean> {
  let config: v.InferOutput<typeof MigrateConfigSchema>;
  try {
    config = parseEnv(MigrateConfigSchema, env);
  } catch (caught) {
    if (!(caught instanceof ConfigError)) throw caught;
    process.stderr.write(`${caught.problems.map((p) => `${p.variable}: ${p.message}`).join("\n")}\n`);
    return false;
  }
  const root = resolve(import.meta.dirname, "../../../migrations");
  try {
    await migratePostgres(config.DATABASE_URL, resolve(root, "postgres"));
    const clickhouse = createClickHouse({
      url: config.CLICKHOUSE_URL,
      database: config.CLICKHOUSE_DB,
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
    });
    try {
      await migrateClickHouse(clickhouse, resolve(root, "clickhouse"));
    } finally {
      await clickhouse.close();
    }
  } catch (caught) {
    process.stderr.write(`migration failed: ${(caught as Error).message}\n`);
    return false;
  }
  process.stdout.write("migrations applied (postgres, clickhouse)\n");
  return true;
}
