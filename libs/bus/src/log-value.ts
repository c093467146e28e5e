/**
 * Makes event values safe for every place an audit event goes (ClickHouse, syslog, Kafka, webhooks): lone UTF-16
 * surrogates (which no UTF-8 store can hold) and NUL/C0 control characters become U+FFFD, strings past a byte
 * budget are cut with a visible marker. Pure and allocation-free for the common, already-clean string.
 */

/** Longest string kept whole, in UTF-8 bytes; a 1 MB prompt fragment in a model name must not reach a SIEM. */
export const MAX_LOG_STRING_BYTES = 16 * 1024;
export const TRUNCATION_MARKER = "…[truncated]";
/** How deep, how wide (array items, object members) and how long a key a sanitized value may be. */
const MAX_DEPTH = 8;
const MAX_ITEMS = 1000;
const MAX_KEY_BYTES = 256;

// C0 controls other than tab, line feed and carriage return, plus DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NEEDS_WORK = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ud800-\udfff]/;

/**
 * Secrets that must never reach a log row or a SIEM, wherever they hide in a value: virtual keys (`tw-` + 40
 * base62), credentials in URL query strings (`?key=` as Gemini clients send it, `api_key`, `access_token`…) and
 * bearer tokens.
 */
const SECRETS = [
  /\btw-[0-9A-Za-z]{40}\b/g,
  /([?&](?:key|api[_-]?key|access[_-]?token|token|secret|password|sig|signature)=)[^&#\s"']+/gi,
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
];
const MIGHT_HOLD_SECRET = /tw-|=|Bearer/i;
/** NEEDS_WORK and MIGHT_HOLD_SECRET in one scan: the test of every clean string (most strings of every event). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NEEDS_WORK_OR_SECRET = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ud800-\udfff=]|tw-|Bearer/i;
export const REDACTED = "[redacted]";

/** The string with every secret pattern replaced; `changed` tells whether anything was. */
export function redactSecrets(value: string): { value: string; changed: boolean } {
  if (!MIGHT_HOLD_SECRET.test(value)) return { value, changed: false };
  let out = value;
  for (const pattern of SECRETS)
    out = out.replace(pattern, (_match, prefix?: string) => `${typeof prefix === "string" ? prefix : ""}${REDACTED}`);
  return { value: out, changed: out !== value };
}

export interface SanitizeReport {
  /** Paths of the values that were changed, e.g. `model:replaced`, `details.prompt:truncated`. */
  notes: string[];
}

export interface SanitizeOptions {
  /** Replace lone surrogates and control characters (default true); false only cuts oversize strings. */
  replace?: boolean;
  maxBytes?: number;
}

/**
 * A string made safe; `note` says what changed ('' when nothing did). A string cut earlier (by a publisher) still
 * reports `truncated`, so the flag survives every hop.
 */
export function sanitizeString(value: string, maxBytes = MAX_LOG_STRING_BYTES, replace = true): { value: string; note: string } {
  let out = value;
  let replaced = false;
  if (replace && NEEDS_WORK.test(out)) {
    const cleaned = out.replace(LONE_SURROGATE, "\ufffd").replace(CONTROL, "\ufffd");
    replaced = cleaned !== value;
    out = cleaned;
  }
  const redacted = redactSecrets(out);
  if (redacted.changed) {
    out = redacted.value;
    replaced = true;
  }
  // A UTF-8 character is at most 3 bytes per UTF-16 unit, so shorter strings never need the exact count.
  if (out.length * 3 > maxBytes && Buffer.byteLength(out, "utf8") > maxBytes) {
    out = `${cutToBytes(out, maxBytes - Buffer.byteLength(TRUNCATION_MARKER))}${TRUNCATION_MARKER}`;
    return { value: out, note: "truncated" };
  }
  if (out.endsWith(TRUNCATION_MARKER)) return { value: out, note: "truncated" };
  return { value: out, note: redacted.changed ? "redacted" : replaced ? "replaced" : "" };
}

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes that does not split a surrogate pair. */
function cutToBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  // toString drops a trailing partial character as U+FFFD; step back to a character boundary instead.
  let end = Math.max(0, maxBytes);
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString("utf8");
}

/** True when sanitizeString would hand the string back unchanged (the common case, tested without allocating). */
function isClean(value: string, maxBytes: number, replace: boolean): boolean {
  return (
    value.length * 3 <= maxBytes &&
    !(replace ? NEEDS_WORK_OR_SECRET : MIGHT_HOLD_SECRET).test(value) &&
    !value.endsWith(TRUNCATION_MARKER)
  );
}

/**
 * A deep copy of a JSON-like value with every string (keys included) sanitized; depth and breadth are capped so a
 * hostile `details` object cannot blow up a row. Paths are only spelled out for values that get a note.
 */
export function sanitizeValue(
  value: unknown,
  report: SanitizeReport,
  options: SanitizeOptions = {},
  path = "",
  depth = 0,
): unknown {
  return sanitizeAt(value, report, options.maxBytes ?? MAX_LOG_STRING_BYTES, options.replace ?? true, path, "", depth);
}

/**
 * True when sanitizeValue would hand back an equal copy and note nothing: the value can be used as it is, with no
 * copy made (what almost every event is). Objects other than plain ones and arrays are never judged clean.
 */
export function isSanitized(value: unknown, options: SanitizeOptions = {}): boolean {
  return isCleanAt(value, options.maxBytes ?? MAX_LOG_STRING_BYTES, options.replace ?? true, 0);
}

function isCleanAt(value: unknown, maxBytes: number, replace: boolean, depth: number): boolean {
  if (typeof value === "string") return isClean(value, maxBytes, replace);
  if (value === null || typeof value !== "object") return typeof value !== "number" || Number.isFinite(value);
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) return false;
    for (const item of value) if (!isCleanAt(item, maxBytes, replace, depth + 1)) return false;
    return true;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  let count = 0;
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    if (++count > MAX_ITEMS || !isClean(name, MAX_KEY_BYTES, replace)) return false;
    if (!isCleanAt((value as Record<string, unknown>)[name], maxBytes, replace, depth + 1)) return false;
  }
  return true;
}

/** `parent` + `key` name the value (joined only when a note needs the path or a container is entered). */
function sanitizeAt(
  value: unknown,
  report: SanitizeReport,
  maxBytes: number,
  replace: boolean,
  parent: string,
  key: string,
  depth: number,
): unknown {
  if (typeof value === "string") {
    if (isClean(value, maxBytes, replace)) return value;
    const { value: safe, note } = sanitizeString(value, maxBytes, replace);
    if (note !== "") report.notes.push(`${joinPath(parent, key) || "value"}:${note}`);
    return safe;
  }
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) {
      report.notes.push(`${joinPath(parent, key) || "value"}:replaced`);
      return null;
    }
    return value;
  }
  const path = joinPath(parent, key);
  if (depth >= MAX_DEPTH) {
    report.notes.push(`${path || "value"}:truncated`);
    return null;
  }
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ITEMS);
    if (kept.length < value.length) report.notes.push(`${path || "value"}:truncated`);
    return kept.map((item, index) => sanitizeAt(item, report, maxBytes, replace, `${path}[${index}]`, "", depth + 1));
  }
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    if (++count > MAX_ITEMS) {
      report.notes.push(`${path || "value"}:truncated`);
      break;
    }
    const safeKey = isClean(name, MAX_KEY_BYTES, replace) ? name : sanitizeString(name, MAX_KEY_BYTES, replace).value;
    out[safeKey] = sanitizeAt((value as Record<string, unknown>)[name], report, maxBytes, replace, path, safeKey, depth + 1);
  }
  return out;
}

function joinPath(parent: string, key: string): string {
  return key === "" ? parent : parent === "" ? key : `${parent}.${key}`;
}
