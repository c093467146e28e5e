/** Startup check for ClickHouse: the server answers /ping and runs `SELECT 1` as the configured user. */
import { ClickHouseLogLevel, createClient } from "@clickhouse/client";
import { redactUrl } from "@thinkwatch/config";
import { AppError } from "@thinkwatch/errors";
import { connectionTarget } from "./connection-url.js";

export interface ProbeClickHouseOptions {
  username?: string;
  password?: string;
  /** Also proves this database exists (the query runs in it). */
  database?: string;
  timeoutMs?: number;
}

export async function probeClickHouse(url: string, options: ProbeClickHouseOptions = {}): Promise<void> {
  const target = connectionTarget(url, options.username, options.password);
  const where = target.url;
  const client = createClient({
    url: target.url,
    username: target.username,
    password: target.password,
    database: options.database ?? "default",
    request_timeout: options.timeoutMs ?? 3000,
    max_open_connections: 1,
    // The failure is reported once, in the thrown error; the client's own stderr lines would repeat it.
    log: { level: ClickHouseLogLevel.OFF },
  });
  try {
    const ping = await client.ping();
    if (!ping.success) {
      throw new AppError("unavailable", `ClickHouse at ${where} did not answer ping: ${ping.error.message}`, {
        cause: ping.error,
        retryable: true,
      });
    }
    let rows: Array<{ one: number }>;
    try {
      const result = await client.query({ query: "SELECT 1 AS one", format: "JSONEachRow" });
      rows = await result.json<{ one: number }>();
    } catch (caught) {
      const reason = caught instanceof Error ? (caught.message.split("\n")[0] ?? "") : String(caught);
      const as = `as user "${target.username}"${options.database === undefined ? "" : ` in database "${options.database}"`}`;
      throw new AppError("unavailable", `ClickHouse at ${where} answers ping but SELECT 1 ${as} failed: ${reason}`, {
        cause: caught,
      });
    }
    if (rows.length !== 1 || Number(rows[0]?.one) !== 1) {
      throw new AppError("unavailable", `ClickHouse at ${where} returned ${JSON.stringify(rows)} for SELECT 1`);
    }
  } finally {
    await client.close();
  }
}

/** The startup dependency entry for CLICKHOUSE_URL (with the user, password and database the service will use). */
export function clickhouseDependency(config: {
  CLICKHOUSE_URL: string;
  CLICKHOUSE_USER: string;
  CLICKHOUSE_PASSWORD: string;
  CLICKHOUSE_DB: string;
}) {
  return {
    variable: "CLICKHOUSE_URL",
    describe: `ClickHouse at ${redactUrl(config.CLICKHOUSE_URL)} (database ${config.CLICKHOUSE_DB})`,
    remedy:
      "Start ClickHouse, check CLICKHOUSE_USER/CLICKHOUSE_PASSWORD, and create CLICKHOUSE_DB (npm start does all three locally).",
    check: () =>
      probeClickHouse(config.CLICKHOUSE_URL, {
        username: config.CLICKHOUSE_USER,
        password: config.CLICKHOUSE_PASSWORD,
        database: config.CLICKHOUSE_DB,
      }),
  };
}
