/**
 * Reads `NNNN_name.sql` migration files: numbered, applied in order, each a list of statements that end with `;`
 * at the end of a line. Full-line `--` comments are dropped, so a file may document itself.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "@thinkwatch/errors";

export interface MigrationFile {
  version: number;
  /** File name without `.sql`, e.g. `0001_gateway_logs`. */
  name: string;
  checksum: string;
  statements: string[];
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const statement = current.join("\n").trim();
    if (statement !== "") statements.push(statement);
    current = [];
  };
  for (const line of text.replace(/\r\n/g, "\n").split("\n")) {
    if (/^\s*--/.test(line)) continue;
    const trimmed = line.trimEnd();
    if (trimmed.endsWith(";")) {
      current.push(trimmed.slice(0, -1));
      flush();
    } else {
      current.push(line);
    }
  }
  flush();
  return statements;
}

export function readMigrationFiles(dir: string): MigrationFile[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort();
  const migrations = files.map((file): MigrationFile => {
    const match = FILE_NAME.exec(file);
    if (match === null) throw new AppError("internal", `ClickHouse migration ${file} is not named NNNN_lowercase_name.sql`);
    const text = readFileSync(join(dir, file), "utf8").replace(/\r\n/g, "\n");
    const statements = splitStatements(text);
    if (statements.length === 0) throw new AppError("internal", `ClickHouse migration ${file} has no statements`);
    return {
      version: Number(match[1]),
      name: file.slice(0, -4),
      checksum: createHash("sha256").update(text).digest("hex"),
      statements,
    };
  });
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]?.version === migrations[i - 1]?.version) {
      throw new AppError("internal", `two ClickHouse migrations share version ${migrations[i]?.version}`);
    }
  }
  return migrations;
}
