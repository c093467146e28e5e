/** UTC formatting for ClickHouse Date/DateTime columns: the old server rejects ISO strings with `T`/`Z`. */
import { AppError } from "@thinkwatch/errors";

/**
 * The last instant both server lines store correctly: DateTime is a UInt32 of seconds, but 18.16's calendar tables
 * end with 2105, so 2106-01-01 … 2106-02-07 wraps to 1970 there.
 */
export const MAX_DATETIME_MS = Date.UTC(2105, 11, 31, 23, 59, 59);

function toDate(value: Date | number, what: string): Date {
  const date = typeof value === "number" ? new Date(value) : value;
  const ms = date.getTime();
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_DATETIME_MS) {
    throw new AppError("validation_failed", `${what} ${String(value)} is outside 1970-01-01 … 2105-12-31 UTC`);
  }
  return date;
}

function two(value: number): string {
  return String(value).padStart(2, "0");
}

/** `YYYY-MM-DD hh:mm:ss` in UTC; milliseconds are truncated (keep them in a separate UInt64 column). */
export function toClickHouseDateTime(value: Date | number): string {
  const date = toDate(value, "DateTime");
  return `${toClickHouseDate(date)} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
}

/** `YYYY-MM-DD` of the UTC calendar day. */
export function toClickHouseDate(value: Date | number): string {
  const date = toDate(value, "Date");
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}`;
}

/** Epoch milliseconds of a `YYYY-MM-DD hh:mm:ss` (or `YYYY-MM-DD`) UTC string read back from ClickHouse. */
export function parseClickHouseDateTime(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(text);
  if (match === null) throw new AppError("validation_failed", `"${text}" is not a ClickHouse Date/DateTime`);
  const [, y, mo, d, h = "0", mi = "0", s = "0"] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Date.UTC rolls 2024-02-31 over into March; a round trip catches impossible dates.
  const canonical = match[4] === undefined ? toClickHouseDate(ms) : toClickHouseDateTime(ms);
  if (canonical !== text) throw new AppError("validation_failed", `"${text}" is not a valid calendar date/time`);
  return ms;
}
