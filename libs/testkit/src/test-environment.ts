/**
 * An isolated slice of the real servers for one test file: its own PostgreSQL database (migrated), NATS namespace
 * (subjects, streams, KV buckets), Redis key prefix and ClickHouse database. `env` is what a fleet started for the
 * test gets; `cleanup()` removes everything.
 */
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { DEFAULT_URLS } from "@thinkwatch/config";
import { migratePostgres } from "@thinkwatch/db";
import postgres from "postgres";

export const REPO_ROOT = resolve(import.meta.dirname, "../../..");

export const TEST_SECRETS = {
  JWT_SECRET: "test-only-7f3a9c2e41b85d06e9f1a4c7b2d5e8f03a6c9b2e",
  ENCRYPTION_KEY: "5e8f03a6c9b2e7f3a9c2e41b85d06e9f1a4c7b2d5e8f03a6c9b2e7f3a9c2e41b",
} as const;

export interface TestEnvironment {
  /** Short random id; also the NATS namespace. */
  id: string;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export interface TestEnvironmentOptions {
  /** Run PostgreSQL migrations on the new database (default true). */
  migrate?: boolean;
  clickhouse?: boolean;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createTestEnvironment(options: TestEnvironmentOptions = {}): Promise<TestEnvironment> {
  const id = `t${randomBytes(5).toString("hex")}`;
  const baseDatabaseUrl = process.env.DATABASE_URL ?? DEFAULT_URLS.DATABASE_URL;
  const natsUrl = process.env.NATS_URL ?? DEFAULT_URLS.NATS_URL;
  const redisUrl = process.env.REDIS_URL ?? DEFAULT_URLS.REDIS_URL;
  const clickhouseUrl = process.env.CLICKHOUSE_URL ?? DEFAULT_URLS.CLICKHOUSE_URL;
  const database = `tw_test_${id}`;

  const admin = postgres(withDatabase(baseDatabaseUrl, "postgres"), { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE "${database}"`);
  await admin.end();
  const databaseUrl = withDatabase(baseDatabaseUrl, database);
  if (options.migrate !== false) await migratePostgres(databaseUrl, resolve(REPO_ROOT, "migrations/postgres"));

  if (options.clickhouse === true) await clickhouseCommand(clickhouseUrl, `CREATE DATABASE IF NOT EXISTS ${database}`);

  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    REDIS_URL: redisUrl,
    CLICKHOUSE_URL: clickhouseUrl,
    CLICKHOUSE_DB: database,
    THINKWATCH_NAMESPACE: id,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "error",
    HOST: "127.0.0.1",
    ...TEST_SECRETS,
  };

  return {
    id,
    env,
    async cleanup() {
      const adminAgain = postgres(withDatabase(baseDatabaseUrl, "postgres"), { max: 1, onnotice: () => undefined });
      await adminAgain.unsafe(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
      await adminAgain.end();
      await deleteNatsNamespace(natsUrl, id).catch(() => undefined);
      if (options.clickhouse === true)
        await clickhouseCommand(clickhouseUrl, `DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    },
  };
}

async function deleteNatsNamespace(url: string, namespace: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const upper = `${namespace.toUpperCase()}_`;
    const kvPrefix = `KV_${namespace}_`;
    for await (const stream of jsm.streams.list()) {
      const name = stream.config.name;
      if (name.startsWith(upper) || name.startsWith(kvPrefix)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}

async function clickhouseCommand(url: string, statement: string): Promise<void> {
  const response = await fetch(url, { method: "POST", body: statement });
  if (!response.ok) throw new Error(`ClickHouse refused "${statement}": ${await response.text()}`);
}
