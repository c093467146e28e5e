/** Time to first token on streams: request, then the time until the first body chunk that carries generated text. */
import { Agent, request } from "undici";

export interface TtftResult {
  lane: string;
  p50Ms: number;
  p99Ms: number;
  samples: number;
}

export async function measureTtft(options: {
  lane: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** A string that appears in the first content delta (the fakes echo the prompt). */
  marker: string;
  samples: number;
  concurrency: number;
}): Promise<TtftResult> {
  const dispatcher = new Agent({ connections: options.concurrency });
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.samples) {
      next += 1;
      const started = performance.now();
      const response = await request(options.url, { method: "POST", headers: options.headers, body: options.body, dispatcher });
      let seen = false;
      for await (const chunk of response.body) {
        if (!seen && chunk.toString().includes(options.marker)) {
          times.push(performance.now() - started);
          seen = true;
        }
      }
      if (!seen) throw new Error(`${options.lane}: the stream never carried "${options.marker}" (HTTP ${response.statusCode})`);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await dispatcher.close();
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { lane: options.lane, p50Ms: at(0.5), p99Ms: at(0.99), samples: times.length };
}

export function printTtft(results: TtftResult[]): void {
  console.log("lane                          ttft p50 ms  ttft p99 ms  samples");
  for (const r of results) {
    console.log(`${r.lane.padEnd(30)}${r.p50Ms.toFixed(2).padEnd(13)}${r.p99Ms.toFixed(2).padEnd(13)}${r.samples}`);
  }
}
