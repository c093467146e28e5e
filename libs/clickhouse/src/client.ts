/**
 * The ClickHouse handle services use: JSONEachRow inserts, queries with client-side bound parameters, DDL
 * commands, ping and close — a thin layer over @clickhouse/client that speaks only what 18.16 and modern servers
 * both accept.
 */
import { type ClickHouseClient, ClickHouseLogLevel, type Logger as ClientLogger, createClient } from "@clickhouse/client";
import { AppError } from "@thinkwatch/errors";
import type { Logger } from "@thinkwatch/log";
import { type SqlParams, sql } from "./bind.js";
import { toClickHouseAppError } from "./client-error.js";
import { connectionTarget } from "./connection-url.js";
import { jsonEachRow } from "./json-each-row.js";
import { quoteIdentifier } from "./typed-literal.js";

export interface ClickHouseOptions {
  url: string;
  database: string;
  /** Default: the user in `url`, else "default". */
  username?: string;
  /** Default: the password in `url`, else empty. */
  password?: string;
  log?: Logger;
  /** Per-request timeout (default 30 s). */
  requestTimeoutMs?: number;
}

export interface ClickHouse {
  readonly database: string;
  /** Inserts rows as JSONEachRow into a table of this database; table names must be plain identifiers. */
  insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void>;
  /**
   * Rows of a SELECT as JSONEachRow objects. Note that ClickHouse returns UInt64/Int64 values as strings in JSON;
   * `T` is the caller's claim, so validate rows that cross a trust boundary.
   */
  query<T>(template: string, params?: SqlParams): Promise<T[]>;
  /** Runs a statement that returns no rows (DDL, ALTER, DROP). */
  command(template: string, params?: SqlParams): Promise<void>;
  /** Resolves when the server answers /ping; throws an `unavailable` AppError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The underlying client, for streaming reads; bind parameters with `sql()` before using it. */
  readonly client: ClickHouseClient;
}

/** Forwards the client library's own log lines (socket warnings, retries) to our structured logger. */
function loggerClass(log: Logger): new () => ClientLogger {
  const child = log.child({ component: "clickhouse-client" });
  return class PinoClickHouseLogger implements ClientLogger {
    trace({ module, message, args }: { module: string; message: string; args?: Record<string, unknown> }): void {
      child.trace({ module, ...args }, message);
    }
    debug({ module, message, args }: { module: string; message: string; args?: Record<string, unknown> }): void {
      child.debug({ module, ...args }, message);
    }
    info({ module, message, args }: { module: string; message: string; args?: Record<string, unknown> }): void {
      child.info({ module, ...args }, message);
    }
    warn({ module, message, args, err }: { module: string; message: string; args?: Record<string, unknown>; err?: Error }): void {
      child.warn({ module, ...args, err }, message);
    }
    // The client reports every failed request here and we also throw it as an AppError, which the caller logs at
    // its boundary; keeping these at debug avoids logging each failure twice.
    error({ module, message, args, err }: { module: string; message: string; args?: Record<string, unknown>; err: Error }): void {
      child.debug({ module, ...args, err }, message);
    }
  };
}

/** The server's default max_query_size; bound values count against it, so longer statements raise it per query. */
const DEFAULT_MAX_QUERY_SIZE = 262_144;
/** Room for what the client appends (e.g. `FORMAT JSONEachRow`). */
const QUERY_SIZE_SLACK = 1024;

function sizeSettings(text: string): { max_query_size?: string } {
  const bytes = Buffer.byteLength(text, "utf8") + QUERY_SIZE_SLACK;
  return bytes <= DEFAULT_MAX_QUERY_SIZE ? {} : { max_query_size: String(bytes) };
}

export function createClickHouse(options: ClickHouseOptions): ClickHouse {
  const database = options.database;
  quoteIdentifier(database); // fail at construction for a database name we could never address safely
  const target = connectionTarget(options.url, options.username, options.password);
  const client = createClient({
    url: target.url,
    database,
    username: target.username,
    password: target.password,
    request_timeout: options.requestTimeoutMs ?? 30_000,
    // The old server rejects settings it does not know; send none by default.
    clickhouse_settings: {},
    // Without a logger the client would print its own multi-line errors to stderr; failures reach callers as AppErrors.
    log:
      options.log === undefined
        ? { level: ClickHouseLogLevel.OFF }
        : { LoggerClass: loggerClass(options.log), level: ClickHouseLogLevel.WARN },
  });

  return {
    database,
    client,
    async insert(table, rows) {
      if (rows.length === 0) return;
      const target = quoteIdentifier(table);
      try {
        // exec rather than insert: insert takes a stream of JSON rows only as objects, which it encodes one by one.
        const result = await client.exec({ query: `INSERT INTO ${target} FORMAT JSONEachRow`, values: jsonEachRow(rows) });
        result.stream.resume();
      } catch (caught) {
        throw toClickHouseAppError(caught, `insert into ${table}`);
      }
    },
    async query<T>(template: string, params?: SqlParams) {
      const text = sql(template, params);
      try {
        const result = await client.query({ query: text, format: "JSONEachRow", clickhouse_settings: sizeSettings(text) });
        return await result.json<T>();
      } catch (caught) {
        throw toClickHouseAppError(caught, "query");
      }
    },
    async command(template, params) {
      const text = sql(template, params);
      try {
        await client.command({ query: text, clickhouse_settings: sizeSettings(text) });
      } catch (caught) {
        throw toClickHouseAppError(caught, "command");
      }
    },
    async ping() {
      const result = await client.ping();
      if (!result.success) {
        throw new AppError("unavailable", `ClickHouse ping failed: ${result.error.message}`, {
          cause: result.error,
          retryable: true,
        });
      }
    },
    async close() {
      await client.close();
    },
  };
}
