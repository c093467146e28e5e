/** Load generation for benchmarks: autocannon against one URL, reduced to requests/s and latency percentiles. */
import autocannon from "autocannon";

export interface LoadResult {
  lane: string;
  requestsPerSecond: number;
  /** Requests answered (any status). */
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  lane: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationSeconds: number;
  /** A fixed rate for all connections together (requests/s) instead of as fast as the server answers. */
  overallRate?: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: "POST",
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
  });
  return {
    lane: options.lane,
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function printTable(results: LoadResult[], baseline: string): void {
  const base = results.find((r) => r.lane === baseline);
  const rows = results.map((r) => [
    r.lane,
    r.requestsPerSecond.toFixed(0),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    base === undefined || r === base ? "" : `${((r.requestsPerSecond / base.requestsPerSecond) * 100).toFixed(1)}%`,
    String(r.errors + r.non2xx),
  ]);
  const header = ["lane", "req/s", "p50 ms", "p99 ms", `vs ${baseline}`, "errors"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
