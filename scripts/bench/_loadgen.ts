/**
 * The load generator, a process of its own (the lanes benchmark pins it to a core apart from the servers): a closed
 * loop of `connections` keep-alive connections, each sending the next request as soon as the previous answer has
 * been read, for `durationMs`. Latencies are kept at microsecond resolution (autocannon's histogram rounds to whole
 * milliseconds, too coarse for a sub-millisecond hop). Streams also yield time to first token (the first body bytes
 * carrying `marker`) and the gaps between later chunks. Reads one JSON job from stdin, prints one JSON summary.
 */
import { Pool } from "undici";

export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationMs: number;
  /** Streams: the text that marks the first generated token. */
  marker?: string;
}

export interface LoadSummary {
  requests: number;
  errors: number;
  non2xx: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ttftP50Ms: number;
  ttftP99Ms: number;
  gapP50Ms: number;
  gapP99Ms: number;
  firstError?: string;
}

interface LoadOutcome {
  requests: number;
  errors: number;
  non2xx: number;
  seconds: number;
  latenciesMs: number[];
  ttftMs: number[];
  gapsMs: number[];
  firstError?: string;
}

const input: Buffer[] = [];
for await (const part of process.stdin) input.push(part as Buffer);
const job = JSON.parse(Buffer.concat(input).toString()) as LoadJob;
const target = new URL(job.url);
const pool = new Pool(target.origin, { connections: job.connections, pipelining: 1, keepAliveTimeout: 60_000 });
const path = target.pathname + target.search;
const body = Buffer.from(job.body);
const outcome: LoadOutcome = { requests: 0, errors: 0, non2xx: 0, seconds: 0, latenciesMs: [], ttftMs: [], gapsMs: [] };

const started = performance.now();
const endAt = started + job.durationMs;

async function once(): Promise<void> {
  const sent = performance.now();
  const answer = await pool.request({ method: "POST", path, headers: job.headers, body });
  if (job.marker === undefined) {
    await answer.body.dump({ limit: Number.POSITIVE_INFINITY });
  } else {
    let firstAt: number | null = null;
    let lastAt = 0;
    for await (const part of answer.body) {
      const now = performance.now();
      if (firstAt === null) {
        if ((part as Buffer).includes(job.marker)) {
          firstAt = now;
          outcome.ttftMs.push(now - sent);
        }
      } else {
        outcome.gapsMs.push(now - lastAt);
      }
      lastAt = now;
    }
    if (firstAt === null && answer.statusCode < 300) throw new Error(`the stream never carried "${job.marker}"`);
  }
  outcome.latenciesMs.push(performance.now() - sent);
  outcome.requests += 1;
  if (answer.statusCode >= 300) outcome.non2xx += 1;
}

async function worker(): Promise<void> {
  while (performance.now() < endAt) {
    try {
      await once();
    } catch (caught) {
      outcome.errors += 1;
      outcome.firstError ??= String((caught as Error).message ?? caught);
    }
  }
}

await Promise.all(Array.from({ length: job.connections }, worker));
outcome.seconds = (performance.now() - started) / 1000;
await pool.close();

const quantile = (values: number[], q: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
};
const summary: LoadSummary = {
  requests: outcome.requests,
  errors: outcome.errors,
  non2xx: outcome.non2xx,
  requestsPerSecond: outcome.requests / outcome.seconds,
  p50Ms: quantile(outcome.latenciesMs, 0.5),
  p99Ms: quantile(outcome.latenciesMs, 0.99),
  ttftP50Ms: quantile(outcome.ttftMs, 0.5),
  ttftP99Ms: quantile(outcome.ttftMs, 0.99),
  gapP50Ms: quantile(outcome.gapsMs, 0.5),
  gapP99Ms: quantile(outcome.gapsMs, 0.99),
  ...(outcome.firstError === undefined ? {} : { firstError: outcome.firstError }),
};
process.stdout.write(JSON.stringify(summary));
