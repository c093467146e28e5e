import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readMigrationFiles, splitStatements } from "./migration-files.js";

describe("splitStatements", () => {
  const cases: Array<[string, string, string[]]> = [
    ["one statement", "CREATE TABLE a (x UInt8) ENGINE = Memory;\n", ["CREATE TABLE a (x UInt8) ENGINE = Memory"]],
    [
      "several, multi-line",
      "CREATE TABLE a\n(x UInt8)\nENGINE = Memory;\nDROP TABLE b;",
      ["CREATE TABLE a\n(x UInt8)\nENGINE = Memory", "DROP TABLE b"],
    ],
    ["full-line comments dropped", "-- about a\n  -- indented\nSELECT 1;\n-- trailing", ["SELECT 1"]],
    ["a last statement without ;", "SELECT 1;\nSELECT 2", ["SELECT 1", "SELECT 2"]],
    ["a ; inside a line does not split", "SELECT ';' AS x;", ["SELECT ';' AS x"]],
    ["CRLF line ends and trailing spaces", "SELECT 1;  \r\nSELECT 2;\r\n", ["SELECT 1", "SELECT 2"]],
    ["only comments", "-- nothing\n\n", []],
  ];
  it.each(cases)("%s", (_name, text, expected) => {
    expect(splitStatements(text)).toEqual(expected);
  });
});

describe("readMigrationFiles", () => {
  let dir = "";
  const make = (files: Record<string, string>) => {
    dir = mkdtempSync(join(tmpdir(), "tw-ch-mig-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("orders files by version, ignores non-SQL files and computes a checksum per file", () => {
    make({ "0002_b.sql": "SELECT 2;", "0001_a.sql": "SELECT 1;", "README.md": "docs" });
    const files = readMigrationFiles(dir);
    expect(files.map((file) => [file.version, file.name, file.statements])).toEqual([
      [1, "0001_a", ["SELECT 1"]],
      [2, "0002_b", ["SELECT 2"]],
    ]);
    expect(files[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(files[0]?.checksum).not.toBe(files[1]?.checksum);
  });

  it.each([
    ["a badly named file", { "1_a.sql": "SELECT 1;" }, /not named NNNN_lowercase_name.sql/],
    ["an empty file", { "0001_a.sql": "-- nothing\n" }, /has no statements/],
    ["a duplicate version", { "0001_a.sql": "SELECT 1;", "0001_b.sql": "SELECT 2;" }, /share version 1/],
  ])("rejects %s", (_name, files, message) => {
    make(files);
    expect(() => readMigrationFiles(dir)).toThrow(message);
  });

  it("reads the repository's migrations", () => {
    const files = readMigrationFiles(join(import.meta.dirname, "../../../migrations/clickhouse"));
    expect(files[0]?.name).toBe("0001_gateway_logs");
    expect(files[0]?.statements).toHaveLength(1);
    expect(files[0]?.statements[0]).toMatch(/^CREATE TABLE IF NOT EXISTS gateway_logs \(/);
  });
});
