/**
 * The strict string-literal escaper: the one place user text enters ClickHouse SQL. Backslash and quote are
 * backslash-escaped, every control character (NUL included) becomes `\xHH`; all other characters pass as UTF-8.
 */
import { AppError } from "@thinkwatch/errors";

// A lone UTF-16 surrogate cannot be encoded as UTF-8: it would silently turn into U+FFFD on the wire.
const LONE_SURROGATE = /\p{Surrogate}/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this escaper's job
const NEEDS_ESCAPE = /[\\'\u0000-\u001f\u007f]/g;

function escapeChar(char: string): string {
  if (char === "\\") return "\\\\";
  if (char === "'") return "\\'";
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase()}`;
}

/** `'…'` with the content escaped so the server reads back exactly `value`. */
export function quoteString(value: string): string {
  if (LONE_SURROGATE.test(value)) {
    throw new AppError("validation_failed", "text contains an unpaired UTF-16 surrogate and cannot be stored as UTF-8");
  }
  return `'${value.replace(NEEDS_ESCAPE, escapeChar)}'`;
}
