/**
 * What is worth another attempt, and how long to wait before it: connection errors, timeouts, 408, 429 and 5xx are
 * retried; other 4xx are the request's own fault and are not. Waits are exponential backoff with full jitter
 * (a uniform draw between 0 and min(max, base·2^n)), unless the upstream said how long with `retry-after-ms` or
 * `Retry-After` (seconds or an HTTP date) — then that.
 */

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

type Headers = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The wait the upstream asked for, in ms; null when it did not say (or said something unreadable). */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | null {
  const ms = first(headers["retry-after-ms"]);
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const after = first(headers["retry-after"])?.trim();
  if (after === undefined || after === "") return null;
  if (/^\d+$/.test(after)) return Number(after) * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Full-jitter backoff before retry number `retry` (1 for the first retry). */
export function backoffMs(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}
