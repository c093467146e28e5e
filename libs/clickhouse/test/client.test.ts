import { AppError } from "@thinkwatch/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClickHouse, toClickHouseDateTime } from "../src/index.js";
import { closedPort } from "./free-port.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

describe("createClickHouse against the real server", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.ch.command(
      "CREATE TABLE events (id UInt32, at DateTime('UTC'), label String, score Nullable(Float64)) ENGINE = MergeTree ORDER BY id",
    );
  });

  afterAll(async () => {
    await db.drop();
  });

  it("answers ping", async () => {
    await expect(db.ch.ping()).resolves.toBeUndefined();
  });

  it("inserts JSONEachRow rows into the client's database and reads them back with bound parameters", async () => {
    const at = Date.UTC(2025, 0, 15, 8, 30, 0);
    await db.ch.insert("events", [
      { id: 1, at: toClickHouseDateTime(at), label: "first", score: 0.5 },
      { id: 2, at: toClickHouseDateTime(at + 60_000), label: "second", score: null },
      { id: 3, at: toClickHouseDateTime(at + 120_000), label: "third", score: 2 },
    ]);
    const rows = await db.ch.query<{ id: number; at: string; label: string; score: number | null }>(
      "SELECT id, at, label, score FROM events WHERE at >= {from:DateTime} AND id IN {ids:Array(UInt32)} ORDER BY id",
      { from: at + 60_000, ids: [1, 2, 3] },
    );
    expect(rows).toEqual([
      { id: 2, at: "2025-01-15 08:31:00", label: "second", score: null },
      { id: 3, at: "2025-01-15 08:32:00", label: "third", score: 2 },
    ]);
  });

  it("inserts a batch of many encoding slices whole", async () => {
    await db.ch.command(
      "CREATE TABLE sliced (id UInt32, at DateTime('UTC'), label String, score Nullable(Float64)) ENGINE = MergeTree ORDER BY id",
    );
    const at = Date.UTC(2025, 0, 16, 0, 0, 0);
    const rows = Array.from({ length: 2_400 }, (_, i) => ({
      id: i,
      at: toClickHouseDateTime(at),
      label: `row ${i} ${"x".repeat(200)}`,
      score: i,
    }));
    await db.ch.insert("sliced", rows);
    const [stored] = await db.ch.query<{ n: string; total: number }>("SELECT count() AS n, sum(score) AS total FROM sliced");
    expect(stored).toEqual({ n: "2400", total: (2_399 * 2_400) / 2 });
  });

  it("fails an insert into a missing table with the server's reason, whatever its size", async () => {
    const rows = Array.from({ length: 1_200 }, (_, i) => ({ id: i }));
    const error = await db.ch.insert("no_such_table", rows).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "internal", retryable: false, details: { clickhouseCode: "60" } });
  });

  it("does nothing for an empty insert", async () => {
    await db.ch.insert("events", []);
    expect(await db.ch.query("SELECT count() AS n FROM events WHERE id > 3")).toEqual([{ n: "0" }]);
  });

  it("runs commands with bound parameters", async () => {
    await db.ch.command("CREATE TABLE {name:Identifier} (x UInt8) ENGINE = Memory", { name: "made_by_command" });
    const tables = await db.ch.query<{ name: string }>(
      "SELECT name FROM system.tables WHERE database = {db:String} AND name = {t:String}",
      {
        db: db.name,
        t: "made_by_command",
      },
    );
    expect(tables).toEqual([{ name: "made_by_command" }]);
  });

  it.each([
    ["a syntax error", "SELEC 1", "62"],
    ["an unknown table", "SELECT * FROM no_such_table", "60"],
  ])("reports %s as a non-retryable internal AppError with the server code", async (_name, statement, code) => {
    const error = await db.ch.query(statement).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "internal", retryable: false, details: { clickhouseCode: code } });
    expect((error as AppError).message).toMatch(new RegExp(`^ClickHouse query failed: Code: ${code}`));
  });

  it("refuses a database name that is not a plain identifier", () => {
    expect(() => createClickHouse({ url: "http://127.0.0.1:8123", database: "x`; DROP" })).toThrow(/not an allowed identifier/);
  });
});

describe("createClickHouse when the server is unreachable", () => {
  it("reports queries, inserts and ping as retryable unavailable errors", async () => {
    const ch = createClickHouse({ url: `http://127.0.0.1:${await closedPort()}`, database: "default", requestTimeoutMs: 2000 });
    try {
      for (const attempt of [
        () => ch.query("SELECT 1"),
        () => ch.insert("t", [{ a: 1 }]),
        () => ch.command("SELECT 1"),
        () => ch.ping(),
      ]) {
        const error = await attempt().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: "unavailable", retryable: true });
      }
    } finally {
      await ch.close();
    }
  });
});
