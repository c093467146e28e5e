/** A throwaway ClickHouse database per test file (`tw_test_<random>`) on the server at CLICKHOUSE_URL. */
import { randomBytes } from "node:crypto";
import { type ClickHouse, createClickHouse } from "../src/index.js";

export const CLICKHOUSE_URL = process.env.CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
export const CLICKHOUSE_USER = process.env.CLICKHOUSE_USER ?? "default";
export const CLICKHOUSE_PASSWORD = process.env.CLICKHOUSE_PASSWORD ?? "";

export interface TestDatabase {
  name: string;
  ch: ClickHouse;
  /** Another client on the same database, as a second process would have. */
  connect(): ClickHouse;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tw_test_${randomBytes(6).toString("hex")}`;
  const connect = (database: string) =>
    createClickHouse({ url: CLICKHOUSE_URL, database, username: CLICKHOUSE_USER, password: CLICKHOUSE_PASSWORD });
  const admin = connect("default");
  await admin.command("CREATE DATABASE {name:Identifier}", { name });
  const ch = connect(name);
  const extra: ClickHouse[] = [];
  return {
    name,
    ch,
    connect() {
      const client = connect(name);
      extra.push(client);
      return client;
    },
    async drop() {
      await Promise.all([ch, ...extra].map((client) => client.close()));
      await admin.command("DROP DATABASE IF EXISTS {name:Identifier}", { name });
      await admin.close();
    },
  };
}
