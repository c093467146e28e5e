/** PostgreSQL client: postgres.js pool with drizzle on top; one per service process. */

import { redactUrl } from "@thinkwatch/config";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.js";

export type Database = PostgresJsDatabase<typeof schema>;

export interface DbClient {
  db: Database;
  sql: postgres.Sql;
  close(deadlineMs?: number): Promise<void>;
}

export interface DbOptions {
  url: string;
  maxConnections?: number;
  /** Application name shown in pg_stat_activity. */
  name?: string;
}

export function createDb(options: DbOptions): DbClient {
  const sql = postgres(options.url, {
    max: options.maxConnections ?? 10,
    idle_timeout: 30,
    connect_timeout: 5,
    onnotice: () => undefined,
    connection: { application_name: options.name ?? "thinkwatch" },
  });
  return {
    db: drizzle(sql, { schema }),
    sql,
    async close(deadlineMs = 5000) {
      await sql.end({ timeout: Math.ceil(deadlineMs / 1000) });
    },
  };
}

/** Startup probe: connect and run one query, failing with the driver's reason. */
export async function probePostgres(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => undefined });
  try {
    await sql`select 1`;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}

export function postgresDependency(url: string) {
  return {
    variable: "DATABASE_URL",
    describe: `PostgreSQL at ${redactUrl(url)}`,
    remedy: "Start PostgreSQL or point DATABASE_URL at a running server (npm start brings up a local one).",
    check: () => probePostgres(url),
  };
}
