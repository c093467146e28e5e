/**
 * The last minute of gateway traffic in one process, for the console's dashboard strip: 60 one-second slots of
 * request count, error count and a latency histogram. Instances report it over NATS and admin-api merges them, so the
 * strip needs no Prometheus server. Updating it is a few array writes.
 */

/** Upper bounds (seconds) of the latency buckets; the last bucket is unbounded. */
export const WINDOW_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;
const SLOTS = 60;

export interface WindowSummary {
  /** Length of the window, seconds. */
  seconds: number;
  requests: number;
  errors: number;
  /** Counts per bucket of WINDOW_BUCKETS, plus one for anything slower (not cumulative). */
  buckets: number[];
}

export class RecentWindow {
  private readonly second = new Float64Array(SLOTS).fill(-1);
  private readonly requests = new Float64Array(SLOTS);
  private readonly errors = new Float64Array(SLOTS);
  private readonly buckets = new Float64Array(SLOTS * (WINDOW_BUCKETS.length + 1));

  constructor(private readonly now: () => number = Date.now) {}

  record(seconds: number, failed: boolean): void {
    const current = Math.floor(this.now() / 1000);
    const slot = current % SLOTS;
    const width = WINDOW_BUCKETS.length + 1;
    if (this.second[slot] !== current) {
      this.second[slot] = current;
      this.requests[slot] = 0;
      this.errors[slot] = 0;
      this.buckets.fill(0, slot * width, slot * width + width);
    }
    this.requests[slot] = (this.requests[slot] ?? 0) + 1;
    if (failed) this.errors[slot] = (this.errors[slot] ?? 0) + 1;
    let bucket = 0;
    while (bucket < WINDOW_BUCKETS.length && seconds > (WINDOW_BUCKETS[bucket] as number)) bucket += 1;
    const index = slot * width + bucket;
    this.buckets[index] = (this.buckets[index] ?? 0) + 1;
  }

  summary(): WindowSummary {
    const current = Math.floor(this.now() / 1000);
    const width = WINDOW_BUCKETS.length + 1;
    const result: WindowSummary = { seconds: SLOTS, requests: 0, errors: 0, buckets: new Array(width).fill(0) };
    for (let slot = 0; slot < SLOTS; slot += 1) {
      const second = this.second[slot] as number;
      if (second < 0 || current - second >= SLOTS) continue;
      result.requests += this.requests[slot] as number;
      result.errors += this.errors[slot] as number;
      for (let b = 0; b < width; b += 1)
        result.buckets[b] = (result.buckets[b] as number) + (this.buckets[slot * width + b] as number);
    }
    return result;
  }
}

/** Merge the windows of several instances. */
export function mergeWindows(windows: WindowSummary[]): WindowSummary {
  const width = WINDOW_BUCKETS.length + 1;
  const merged: WindowSummary = { seconds: SLOTS, requests: 0, errors: 0, buckets: new Array(width).fill(0) };
  for (const window of windows) {
    merged.requests += window.requests;
    merged.errors += window.errors;
    for (let b = 0; b < width; b += 1) merged.buckets[b] = (merged.buckets[b] as number) + (window.buckets[b] ?? 0);
  }
  return merged;
}

/**
 * A quantile from bucket counts, interpolated linearly inside the bucket as Prometheus's histogram_quantile does;
 * null without data. A quantile in the unbounded bucket answers the largest finite bound.
 */
export function quantileOf(window: WindowSummary, q: number): number | null {
  const total = window.buckets.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let b = 0; b < window.buckets.length; b += 1) {
    const count = window.buckets[b] ?? 0;
    if (seen + count >= rank && count > 0) {
      if (b >= WINDOW_BUCKETS.length) return WINDOW_BUCKETS[WINDOW_BUCKETS.length - 1] as number;
      const lower = b === 0 ? 0 : (WINDOW_BUCKETS[b - 1] as number);
      const upper = WINDOW_BUCKETS[b] as number;
      return lower + (upper - lower) * ((rank - seen) / count);
    }
    seen += count;
  }
  return WINDOW_BUCKETS[WINDOW_BUCKETS.length - 1] as number;
}
