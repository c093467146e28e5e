/**
 * The parameter types a `{name:Type}` placeholder may name, parsed into a small tree. Rendering goes back through
 * `typeName()`, so the SQL only ever contains type names this module produced, never the raw placeholder text.
 */
import { AppError } from "@thinkwatch/errors";

export type ParamType =
  | { kind: "string" }
  | { kind: "fixed_string"; length: number }
  | { kind: "integer"; name: IntegerTypeName; min: bigint; max: bigint }
  | { kind: "float"; name: "Float32" | "Float64" }
  | { kind: "date" }
  | { kind: "datetime"; timezone: string }
  | { kind: "uuid" }
  | { kind: "identifier" }
  | { kind: "nullable"; inner: ParamType }
  | { kind: "array"; element: ParamType };

export type IntegerTypeName = "UInt8" | "UInt16" | "UInt32" | "UInt64" | "Int8" | "Int16" | "Int32" | "Int64";

const INTEGER_TYPES: Record<IntegerTypeName, { min: bigint; max: bigint }> = {
  UInt8: { min: 0n, max: 255n },
  UInt16: { min: 0n, max: 65_535n },
  UInt32: { min: 0n, max: 4_294_967_295n },
  UInt64: { min: 0n, max: 18_446_744_073_709_551_615n },
  Int8: { min: -128n, max: 127n },
  Int16: { min: -32_768n, max: 32_767n },
  Int32: { min: -2_147_483_648n, max: 2_147_483_647n },
  Int64: { min: -9_223_372_036_854_775_808n, max: 9_223_372_036_854_775_807n },
};

function isIntegerTypeName(name: string): name is IntegerTypeName {
  return Object.hasOwn(INTEGER_TYPES, name);
}

// IANA zone names: letters, digits, `_`, `/`, `+`, `-`. Anything else could break out of the quoted type argument.
const TIMEZONE = /^[A-Za-z][A-Za-z0-9_/+-]*$/;

/**
 * DateTime without a zone binds as DateTime('UTC'): every value we produce is a UTC wall-clock string, and the
 * server's own zone (UTC here, anything in production) must not reinterpret it.
 */
const DEFAULT_TIMEZONE = "UTC";

function unsupported(text: string): AppError {
  return new AppError("internal", `unsupported ClickHouse parameter type "${text}"`, {
    details: {
      supported: "String, FixedString(N), (U)Int8-64, Float32/64, Date, DateTime, UUID, Identifier, Nullable(T), Array(T)",
    },
  });
}

export function parseParamType(text: string): ParamType {
  const source = text.trim();
  const wrapped = /^(Nullable|Array)\((.*)\)$/.exec(source);
  if (wrapped !== null) {
    const inner = parseParamType(wrapped[2] ?? "");
    if (wrapped[1] === "Array") return { kind: "array", element: inner };
    if (inner.kind === "nullable" || inner.kind === "array" || inner.kind === "identifier") throw unsupported(source);
    return { kind: "nullable", inner };
  }
  const fixed = /^FixedString\((\d{1,6})\)$/.exec(source);
  if (fixed !== null) return { kind: "fixed_string", length: Number(fixed[1]) };
  const dateTime = /^DateTime(?:\(\s*'([^']*)'\s*\))?$/.exec(source);
  if (dateTime !== null) {
    const timezone = dateTime[1] ?? DEFAULT_TIMEZONE;
    if (!TIMEZONE.test(timezone)) throw unsupported(source);
    return { kind: "datetime", timezone };
  }
  if (isIntegerTypeName(source)) return { kind: "integer", name: source, ...INTEGER_TYPES[source] };
  switch (source) {
    case "String":
      return { kind: "string" };
    case "Float32":
    case "Float64":
      return { kind: "float", name: source };
    case "Date":
      return { kind: "date" };
    case "UUID":
      return { kind: "uuid" };
    case "Identifier":
      return { kind: "identifier" };
    default:
      throw unsupported(source);
  }
}

/** The canonical type name to put after `AS` in a CAST. */
export function typeName(type: ParamType): string {
  switch (type.kind) {
    case "string":
      return "String";
    case "fixed_string":
      return `FixedString(${type.length})`;
    case "integer":
    case "float":
      return type.name;
    case "date":
      return "Date";
    case "datetime":
      return `DateTime('${type.timezone}')`;
    case "uuid":
      return "UUID";
    case "identifier":
      return "Identifier";
    case "nullable":
      return `Nullable(${typeName(type.inner)})`;
    case "array":
      return `Array(${typeName(type.element)})`;
  }
}
