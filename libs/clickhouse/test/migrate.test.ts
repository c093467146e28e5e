import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { GatewayRequestEvent } from "@thinkwatch/proto";
import * as v from "valibot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GATEWAY_LOGS_TABLE, GatewayLogRowSchema, gatewayEventToRow, migrateClickHouse } from "../src/index.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

const REPO_MIGRATIONS = resolve(import.meta.dirname, "../../../migrations/clickhouse");

const EXPECTED_COLUMNS: Array<[string, string]> = [
  ["event_id", "String"],
  ["created_at", "DateTime('UTC')"],
  ["created_at_ms", "UInt64"],
  ["request_id", "String"],
  ["api_key_id", "String"],
  ["user_id", "String"],
  ["team_id", "String"],
  ["provider_id", "String"],
  ["provider_kind", "String"],
  ["inbound_api", "String"],
  ["model", "String"],
  ["upstream_model", "String"],
  ["stream", "UInt8"],
  ["status_code", "UInt16"],
  ["error_code", "String"],
  ["input_tokens", "UInt64"],
  ["output_tokens", "UInt64"],
  ["cached_tokens", "UInt64"],
  ["reasoning_tokens", "UInt64"],
  ["latency_ms", "UInt32"],
  ["time_to_first_token_ms", "Nullable(UInt32)"],
  ["client_ip", "String"],
  ["user_agent", "String"],
  ["cost_usd", "Float64"],
  ["weighted_input_tokens", "UInt64"],
  ["weighted_output_tokens", "UInt64"],
  ["trace_id", "String"],
  ["sanitized", "UInt8"],
  ["sanitize_notes", "String"],
];

const REPO_MIGRATION_NAMES = [
  "0001_gateway_logs",
  "0002_gateway_logs_cost_trace",
  "0003_mcp_logs",
  "0004_audit_access_app_logs",
  "0005_rollups",
];

const EVENT: GatewayRequestEvent = {
  eventId: "6f1c1a52-7d0e-4a8b-9d61-4f5b2c3a1e01",
  occurredAt: Date.UTC(2025, 5, 1, 12, 30, 45, 123),
  requestId: "req_1",
  apiKeyId: "0b6a3f7e-2d41-4c8e-b1a9-5e7f3c2d1a00",
  userId: "1c7b4e8f-3e52-4d9f-a2ba-6f8e4d3c2b11",
  teamId: null,
  providerId: "p1",
  providerKind: "openai",
  inboundApi: "openai_chat",
  model: "gpt-4.1",
  upstreamModel: null,
  stream: false,
  statusCode: 200,
  errorCode: null,
  inputTokens: 10,
  outputTokens: 20,
  cachedTokens: 0,
  reasoningTokens: 0,
  latencyMs: 123,
  timeToFirstTokenMs: null,
  clientIp: "198.51.100.4",
  userAgent: "sdk/1",
};

describe("migrateClickHouse", () => {
  let db: TestDatabase;
  let scratch = "";

  beforeEach(async () => {
    db = await createTestDatabase();
  });

  afterEach(async () => {
    await db.drop();
    if (scratch !== "") rmSync(scratch, { recursive: true, force: true });
    scratch = "";
  });

  it("creates gateway_logs with the documented columns, engine and keys, and records the migrations", async () => {
    const report = await migrateClickHouse(db.ch, REPO_MIGRATIONS);
    expect(report).toEqual({ applied: REPO_MIGRATION_NAMES, skipped: [] });

    const columns = await db.ch.query<{ name: string; type: string }>(
      "SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {t:String}",
      { db: db.name, t: GATEWAY_LOGS_TABLE },
    );
    expect(columns.map((column) => [column.name, column.type])).toEqual(EXPECTED_COLUMNS);

    const [table] = await db.ch.query<{ engine_full: string }>(
      "SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {t:String}",
      { db: db.name, t: GATEWAY_LOGS_TABLE },
    );
    expect(table?.engine_full).toMatch(
      /^ReplacingMergeTree\(\) PARTITION BY toYYYYMM\(created_at\) ORDER BY \(created_at, event_id\)/,
    );

    const recorded = await db.ch.query<{ version: number; name: string }>(
      "SELECT version, name FROM schema_migrations ORDER BY version",
    );
    expect(recorded).toEqual(REPO_MIGRATION_NAMES.map((name, index) => ({ version: index + 1, name })));
  });

  it("skips what is already applied on a second run", async () => {
    await migrateClickHouse(db.ch, REPO_MIGRATIONS);
    expect(await migrateClickHouse(db.ch, REPO_MIGRATIONS)).toEqual({ applied: [], skipped: REPO_MIGRATION_NAMES });
  });

  it("lets two runners migrate the same database at once without failing", async () => {
    scratch = mkdtempSync(join(tmpdir(), "tw-ch-mig-"));
    // Several files and tables widen the window in which the two runners race each other.
    for (let version = 1; version <= 4; version++) {
      const name = `${String(version).padStart(4, "0")}_step_${version}.sql`;
      writeFileSync(
        join(scratch, name),
        `CREATE TABLE IF NOT EXISTS a_${version} (x UInt8) ENGINE = MergeTree ORDER BY x;\nCREATE TABLE IF NOT EXISTS b_${version} (x UInt8) ENGINE = MergeTree ORDER BY x;\n`,
      );
    }
    const first = db.connect();
    const second = db.connect();
    const reports = await Promise.all([migrateClickHouse(first, scratch), migrateClickHouse(second, scratch)]);
    for (const report of reports)
      expect([...report.applied, ...report.skipped].sort()).toEqual(["0001_step_1", "0002_step_2", "0003_step_3", "0004_step_4"]);

    const versions = await db.ch.query<{ version: number }>("SELECT DISTINCT version FROM schema_migrations ORDER BY version");
    expect(versions.map((row) => row.version)).toEqual([1, 2, 3, 4]);
    const tables = await db.ch.query<{ n: string }>("SELECT count() AS n FROM system.tables WHERE database = {db:String}", {
      db: db.name,
    });
    expect(tables).toEqual([{ n: "9" }]); // 8 tables + schema_migrations
    expect(await migrateClickHouse(db.ch, scratch)).toEqual({
      applied: [],
      skipped: ["0001_step_1", "0002_step_2", "0003_step_3", "0004_step_4"],
    });
  });

  it("refuses to continue when an applied migration's file was edited", async () => {
    scratch = mkdtempSync(join(tmpdir(), "tw-ch-mig-"));
    writeFileSync(join(scratch, "0001_t.sql"), "CREATE TABLE IF NOT EXISTS t (x UInt8) ENGINE = Memory;\n");
    await migrateClickHouse(db.ch, scratch);
    writeFileSync(join(scratch, "0001_t.sql"), "CREATE TABLE IF NOT EXISTS t (x UInt16) ENGINE = Memory;\n");
    await expect(migrateClickHouse(db.ch, scratch)).rejects.toMatchObject({
      code: "conflict",
      message: "ClickHouse migration 0001_t changed after it was applied; add a new migration instead",
    });
  });

  it("stops at a failing statement without recording that migration", async () => {
    scratch = mkdtempSync(join(tmpdir(), "tw-ch-mig-"));
    writeFileSync(join(scratch, "0001_ok.sql"), "CREATE TABLE IF NOT EXISTS ok (x UInt8) ENGINE = Memory;\n");
    writeFileSync(join(scratch, "0002_bad.sql"), "CREATE TABLE IF NOT EXISTS bad (x NoSuchType) ENGINE = Memory;\n");
    await expect(migrateClickHouse(db.ch, scratch)).rejects.toMatchObject({ code: "internal" });
    const recorded = await db.ch.query<{ name: string }>("SELECT name FROM schema_migrations");
    expect(recorded).toEqual([{ name: "0001_ok" }]);
  });
});

describe("gateway_logs rows", () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase();
    await migrateClickHouse(db.ch, REPO_MIGRATIONS);
  });

  afterEach(async () => {
    await db.drop();
  });

  it("stores a mapped event exactly and converges a redelivered event to one row", async () => {
    const row = v.parse(GatewayLogRowSchema, gatewayEventToRow(EVENT));
    await db.ch.insert(GATEWAY_LOGS_TABLE, [row]);
    await db.ch.insert(GATEWAY_LOGS_TABLE, [row]); // redelivery: same event id, separate insert, separate part

    expect(await db.ch.query("SELECT count() AS n FROM gateway_logs FINAL")).toEqual([{ n: "1" }]);
    await db.ch.command("OPTIMIZE TABLE gateway_logs FINAL");
    const stored = await db.ch.query<Record<string, unknown>>("SELECT * FROM gateway_logs");
    expect(stored).toHaveLength(1);
    // JSON output quotes 64-bit integers; everything else comes back as inserted.
    expect(stored[0]).toEqual({
      ...row,
      created_at_ms: String(row.created_at_ms),
      input_tokens: String(row.input_tokens),
      output_tokens: String(row.output_tokens),
      cached_tokens: String(row.cached_tokens),
      reasoning_tokens: String(row.reasoning_tokens),
      weighted_input_tokens: String(row.weighted_input_tokens),
      weighted_output_tokens: String(row.weighted_output_tokens),
    });
  });
});
