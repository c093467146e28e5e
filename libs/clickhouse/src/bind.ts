/**
 * Client-side parameter binding for servers without `{name:Type}` query parameters (ClickHouse 18.16): every
 * placeholder becomes a validated, escaped, CAST literal, in one pass, so bound text is never re-scanned.
 *
 * `x IN {ids:Array(T)}` expands to a list, because the old server does not accept an array after IN; `has()`
 * works with an array anywhere. Placeholders are found by plain text scanning: keep them out of string literals.
 */
import { AppError } from "@thinkwatch/errors";
import { parseParamType, typeName } from "./param-type.js";
import { literal, type SqlValue, typedLiteral } from "./typed-literal.js";

export type SqlParams = Readonly<Record<string, SqlValue>>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):([^{}]+)\}/g;
const AFTER_IN = /\bIN\s*$/i;

function inList(param: string, typeText: string, value: SqlValue): string {
  const type = parseParamType(typeText);
  if (type.kind !== "array") {
    throw new AppError("internal", `parameter "${param}" follows IN, so its type must be Array(…), not ${typeName(type)}`);
  }
  if (!Array.isArray(value)) return typedLiteral(param, type, value); // lets literal() report the wrong value type
  const elements: readonly SqlValue[] = value;
  // `x IN ()` is a syntax error; a subquery over an empty array matches nothing on old and new servers alike.
  if (elements.length === 0) return `(SELECT arrayJoin(${typedLiteral(param, type, [])}))`;
  return `(${elements.map((element) => `CAST(${literal(param, type.element, element)} AS ${typeName(type.element)})`).join(", ")})`;
}

/**
 * `sql("SELECT * FROM {t:Identifier} WHERE a = {a:String} AND b IN {ids:Array(UInt64)}", { t, a, ids })`.
 * Every placeholder needs a value and every value a placeholder (a misspelt name fails instead of binding nothing).
 */
export function sql(template: string, params: SqlParams = {}): string {
  const used = new Set<string>();
  const bound = template.replace(PLACEHOLDER, (_match, name: string, typeText: string, offset: number) => {
    if (!Object.hasOwn(params, name)) throw new AppError("internal", `SQL parameter "${name}" has no value`);
    used.add(name);
    const value = params[name] as SqlValue;
    if (AFTER_IN.test(template.slice(0, offset))) return inList(name, typeText, value);
    return typedLiteral(name, parseParamType(typeText), value);
  });
  const unused = Object.keys(params).filter((name) => !used.has(name));
  if (unused.length > 0) throw new AppError("internal", `SQL parameters without a placeholder: ${unused.join(", ")}`);
  return bound;
}
