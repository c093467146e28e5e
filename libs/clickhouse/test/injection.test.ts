/**
 * Hostile values through client-side binding against the real server: each must come back byte-for-byte, be found
 * by an equality filter, and leave every other table untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

const ALL_CONTROL_CHARS = `${Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join("")}\u007f`;

const PAYLOADS: Array<[string, string]> = [
  ["a single quote", "it's"],
  ["a quote that closes the literal", "x'); DROP TABLE canary; --"],
  ["a classic tautology", "' OR '1'='1"],
  ["a backslash at the end", "ends with \\"],
  ["a backslash before a quote", "\\'; DROP TABLE canary; SELECT '"],
  ["doubled backslashes and quotes", "\\\\''\\\\''"],
  ["a line comment", "a -- b"],
  ["a block comment opener", "/* open"],
  ["a block comment closer", "close */ DROP TABLE canary; /*"],
  ["a newline with a second statement", "x'\nDROP TABLE canary\n--"],
  ["CRLF and tabs", "a\r\n\tb"],
  ["NUL bytes", "a\u0000b\u0000"],
  ["every control character", ALL_CONTROL_CHARS],
  ["escape lookalikes", "\\x41\\n\\0\\u0027"],
  ["a backquote identifier breakout", "`; DROP TABLE canary; `"],
  ["placeholder text", "{s:String} {id:UInt32}"],
  ["a FORMAT clause", "' FORMAT TabSeparated"],
  ["unicode: accents, CJK, RTL, emoji, ZWJ", "héllo 中文 עברית 👩‍💻 \u200b\ufeff"],
  ["a Unicode quote lookalike", "\u2019; DROP TABLE canary; --"],
  ["the empty string", ""],
  ["a very long string (100,000 characters with quotes and backslashes)", "'\\a".repeat(33_334).slice(0, 100_000)],
];

describe("client-side binding resists injection on the real server", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.ch.command("CREATE TABLE canary (n UInt8) ENGINE = Memory");
    await db.ch.command("INSERT INTO canary VALUES (1)");
    await db.ch.command("CREATE TABLE texts (id UInt32, s String) ENGINE = MergeTree ORDER BY id");
  });

  afterAll(async () => {
    await db.drop();
  });

  it.each(PAYLOADS.map(([name, value], id) => [name, value, id] as const))("round-trips %s", async (_name, value, id) => {
    await db.ch.command("INSERT INTO texts SELECT {id:UInt32}, {s:String}", { id, s: value });
    const stored = await db.ch.query<{ s: string }>("SELECT s FROM texts WHERE id = {id:UInt32}", { id });
    expect(stored).toEqual([{ s: value }]);
    const found = await db.ch.query<{ id: number }>("SELECT id FROM texts WHERE s = {s:String}", { s: value });
    expect(found).toEqual([{ id }]);
    const echoed = await db.ch.query<{ v: string; bytes: string }>("SELECT {s:String} AS v, length({s:String}) AS bytes", {
      s: value,
    });
    expect(echoed).toEqual([{ v: value, bytes: String(Buffer.byteLength(value, "utf8")) }]);
  });

  it("finds hostile strings through IN lists and has()", async () => {
    const values = PAYLOADS.slice(0, 6).map(([, value]) => value);
    const viaIn = await db.ch.query<{ id: number }>("SELECT id FROM texts WHERE s IN {values:Array(String)} ORDER BY id", {
      values,
    });
    expect(viaIn.map((row) => row.id)).toEqual([0, 1, 2, 3, 4, 5]);
    const viaHas = await db.ch.query<{ n: string }>("SELECT count() AS n FROM texts WHERE has({values:Array(String)}, s)", {
      values,
    });
    expect(viaHas).toEqual([{ n: "6" }]);
    const none = await db.ch.query<{ id: number }>("SELECT id FROM texts WHERE s IN {values:Array(String)}", { values: [] });
    expect(none).toEqual([]);
  });

  it("left everything else as it was: no table dropped, no extra rows, no new tables", async () => {
    expect(await db.ch.query("SELECT n FROM canary")).toEqual([{ n: 1 }]);
    expect(await db.ch.query("SELECT count() AS n FROM texts")).toEqual([{ n: String(PAYLOADS.length) }]);
    const tables = await db.ch.query<{ name: string }>(
      "SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name",
      {
        db: db.name,
      },
    );
    expect(tables.map((table) => table.name)).toEqual(["canary", "texts"]);
  });

  it("round-trips the edges of every numeric type and DateTime", async () => {
    const rows = await db.ch.query<Record<string, unknown>>(
      `SELECT {u64:UInt64} AS u64, {i64:Int64} AS i64, {i8:Int8} AS i8, {f:Float64} AS f, {neg:Float64} AS neg,
        {dt:DateTime} AS dt, toUnixTimestamp({dt:DateTime}) AS epoch, {d:Date} AS d, {nul:Nullable(UInt32)} AS nul,
        {uuid:UUID} AS uuid, {arr:Array(Nullable(UInt64))} AS arr`,
      {
        u64: 18_446_744_073_709_551_615n,
        i64: -9_223_372_036_854_775_808n,
        i8: -128,
        f: 1e21,
        neg: -1.5e-7,
        dt: Date.UTC(2105, 11, 31, 23, 59, 59),
        d: "2024-02-29",
        nul: null,
        uuid: "0E3B1F4A-9C2D-4E5F-8A6B-7C8D9E0F1A2B",
        arr: ["18446744073709551615", null, 0],
      },
    );
    expect(rows).toEqual([
      {
        u64: "18446744073709551615",
        i64: "-9223372036854775808",
        i8: -128,
        f: 1e21,
        neg: -1.5e-7,
        dt: "2105-12-31 23:59:59",
        epoch: 4_291_747_199,
        d: "2024-02-29",
        nul: null,
        uuid: "0e3b1f4a-9c2d-4e5f-8a6b-7c8d9e0f1a2b",
        arr: ["18446744073709551615", null, "0"],
      },
    ]);
  });

  it("addresses allow-listed identifiers and refuses others before anything is sent", async () => {
    expect(await db.ch.query("SELECT n FROM {t:Identifier}", { t: "canary" })).toEqual([{ n: 1 }]);
    await expect(db.ch.query("SELECT n FROM {t:Identifier}", { t: "canary; DROP TABLE texts" })).rejects.toThrow(
      /not an allowed identifier/,
    );
    await expect(db.ch.insert("texts` (id) SELECT 1; --", [{ id: 1, s: "x" }])).rejects.toThrow(/not an allowed identifier/);
    expect(await db.ch.query("SELECT count() AS n FROM texts")).toEqual([{ n: String(PAYLOADS.length) }]);
  });
});
