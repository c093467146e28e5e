/**
 * Turns one JS value into SQL text for a parameter type, validating it first: numbers against the type's range,
 * dates against the DateTime range, UUIDs and identifiers against strict patterns, strings through the escaper.
 */
import { AppError } from "@thinkwatch/errors";
import { parseClickHouseDateTime, toClickHouseDate, toClickHouseDateTime } from "./datetime.js";
import { type ParamType, typeName } from "./param-type.js";
import { quoteString } from "./string-literal.js";

/** What a parameter may hold; nested arrays for Array(Array(T)). */
export type SqlValue = string | number | bigint | boolean | Date | null | readonly SqlValue[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENTIFIER_PART = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DECIMAL_INTEGER = /^-?\d{1,20}$/;

function invalid(param: string, type: ParamType, value: unknown, why: string): AppError {
  const shown = typeof value === "string" ? `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"` : String(value);
  return new AppError("validation_failed", `parameter "${param}" (${typeName(type)}): ${why}, got ${shown}`, {
    details: { param },
  });
}

/** Only names matching [A-Za-z_][A-Za-z0-9_]* (optionally `db.table`) are accepted; the result is backquoted. */
export function quoteIdentifier(name: string): string {
  const parts = name.split(".");
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER_PART.test(part))) {
    throw new AppError("validation_failed", `"${name}" is not an allowed identifier (letters, digits and _, optionally db.name)`);
  }
  return parts.map((part) => `\`${part}\``).join(".");
}

function integerText(param: string, type: Extract<ParamType, { kind: "integer" }>, value: SqlValue): string {
  let parsed: bigint;
  if (typeof value === "bigint") parsed = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) parsed = BigInt(value);
  else if (typeof value === "string" && DECIMAL_INTEGER.test(value)) parsed = BigInt(value);
  else if (typeof value === "boolean" && type.name === "UInt8") parsed = value ? 1n : 0n;
  else throw invalid(param, type, value, "expected a whole number (number, bigint or decimal string)");
  if (parsed < type.min || parsed > type.max) throw invalid(param, type, value, `out of range ${type.min}…${type.max}`);
  // Quoted: CAST('…' AS Int64) parses every value exactly, even Int64's minimum, which a bare literal cannot express.
  return `'${parsed.toString()}'`;
}

function dateText(param: string, type: ParamType, value: SqlValue, withTime: boolean): string {
  try {
    if (value instanceof Date || typeof value === "number") {
      return quoteString(withTime ? toClickHouseDateTime(value) : toClickHouseDate(value));
    }
    if (typeof value === "string") {
      parseClickHouseDateTime(value);
      if (withTime === /\d{2}:\d{2}:\d{2}$/.test(value)) return quoteString(value);
    }
  } catch (caught) {
    throw invalid(param, type, value, caught instanceof Error ? caught.message : "invalid date");
  }
  throw invalid(
    param,
    type,
    value,
    withTime ? "expected a Date, epoch ms or 'YYYY-MM-DD hh:mm:ss'" : "expected a Date, epoch ms or 'YYYY-MM-DD'",
  );
}

/** The bare literal (no CAST) for `value`; arrays become `[…]` of element literals. */
export function literal(param: string, type: ParamType, value: SqlValue): string {
  if (value === undefined) throw invalid(param, type, value, "no value");
  if (type.kind === "nullable") return value === null ? "NULL" : literal(param, type.inner, value);
  if (value === null) throw invalid(param, type, value, "NULL needs a Nullable(…) type");
  switch (type.kind) {
    case "string":
      if (typeof value !== "string") throw invalid(param, type, value, "expected a string");
      return quoteString(value);
    case "fixed_string":
      if (typeof value !== "string") throw invalid(param, type, value, "expected a string");
      if (Buffer.byteLength(value, "utf8") > type.length) throw invalid(param, type, value, `longer than ${type.length} bytes`);
      return quoteString(value);
    case "integer":
      return integerText(param, type, value);
    case "float":
      if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(param, type, value, "expected a finite number");
      // String(n) is a valid ClickHouse numeric literal (including 1e+21 and -1.5e-7); parenthesised for unary minus.
      return value < 0 ? `(${String(value)})` : String(value);
    case "date":
      return dateText(param, type, value, false);
    case "datetime":
      return dateText(param, type, value, true);
    case "uuid":
      if (typeof value !== "string" || !UUID.test(value)) throw invalid(param, type, value, "expected a UUID");
      return quoteString(value.toLowerCase());
    case "identifier":
      if (typeof value !== "string") throw invalid(param, type, value, "expected a name");
      return quoteIdentifier(value);
    case "array": {
      if (!Array.isArray(value)) throw invalid(param, type, value, "expected an array");
      const elements: readonly SqlValue[] = value;
      return `[${elements.map((element) => literal(param, type.element, element)).join(", ")}]`;
    }
  }
}

/** The literal wrapped in CAST(… AS Type) so the server never guesses a type; identifiers are not values. */
export function typedLiteral(param: string, type: ParamType, value: SqlValue): string {
  if (type.kind === "identifier") return literal(param, type, value);
  return `CAST(${literal(param, type, value)} AS ${typeName(type)})`;
}
