/**
 * `npm run bench -- quota [--duration 4] [--concurrency 64] [--batch 32]`: quota.v1.check decisions per second and
 * latency against one quota process (its own, on the real NATS and Redis), with 1, 4 and 16 rules per request —
 * single checks (one NATS message each, latency as a client sees it) and batches (what an edge sends when several
 * requests arrive in one event-loop tick).
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { connectBus } from "@thinkwatch/bus";
import { createLogger } from "@thinkwatch/log";
import { QuotaCheck, QuotaCheckBatch, type QuotaCheckRequest, QuotaRulesSet, type QuotaSubject } from "@thinkwatch/proto";
import { createTestEnvironment, startFleetProcess } from "@thinkwatch/testkit";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "4" },
    concurrency: { type: "string", default: "64" },
    batch: { type: "string", default: "32" },
  },
});
const durationMs = Number(values.duration) * 1000;
const concurrency = Number(values.concurrency);
const batchSize = Number(values.batch);

const WINDOWS = [60, 300, 3600, 18000] as const;
const testEnv = await createTestEnvironment();
const quota = await startFleetProcess({ env: { ...testEnv.env, LOG_LEVEL: "warn" }, services: ["quota"] });
const bus = await connectBus({
  url: testEnv.env.NATS_URL as string,
  namespace: testEnv.id,
  name: "bench",
  log: createLogger({ service: "bench", level: "warn" }),
});

/** Subjects whose rules add up to `rules` per request (4 rules per subject at most: one per window). */
async function subjectsWith(rules: number): Promise<QuotaSubject[]> {
  const kinds = ["api_key", "user", "provider", "team"] as const;
  const subjects: QuotaSubject[] = [];
  for (let left = rules, i = 0; left > 0; i++) {
    const count = Math.min(4, left);
    const subject = { kind: kinds[i % kinds.length] as QuotaSubject["kind"], id: randomUUID() };
    await bus.request(QuotaRulesSet, {
      subject,
      rules: WINDOWS.slice(0, count).map((windowSeconds) => ({
        surface: "ai_gateway" as const,
        metric: "requests" as const,
        windowSeconds,
        limit: 1_000_000_000,
      })),
    });
    subjects.push(subject);
    left -= count;
  }
  return subjects;
}

interface Result {
  lane: string;
  decisionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  refused: number;
  /** CPU the quota process spent per decision: what the machine's load cannot inflate much. */
  cpuUsPerDecision: number;
}

/** user + system CPU seconds of a process so far (Linux /proc; clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function run(lane: string, subjects: QuotaSubject[], perMessage: number): Promise<Result> {
  const check = (n: number): QuotaCheckRequest => ({ surface: "ai_gateway", subjects, requestId: `b${n}` });
  // Warm the rule cache and the script cache.
  await bus.request(QuotaCheck, check(0));
  const latencies: number[] = [];
  let decisions = 0;
  let refused = 0;
  const pid = quota.process.pid as number;
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      if (perMessage === 1) {
        const decision = await bus.request(QuotaCheck, check(decisions));
        if (!decision.allowed) refused += 1;
        decisions += 1;
      } else {
        const { decisions: answers } = await bus.request(QuotaCheckBatch, {
          checks: Array.from({ length: perMessage }, (_, i) => check(decisions + i)),
        });
        refused += answers.filter((d) => !d.allowed).length;
        decisions += answers.length;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: perMessage === 1 ? concurrency : Math.max(1, concurrency / perMessage) * 2 }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const cpuUsPerDecision = ((cpuSeconds(pid) - cpuBefore) * 1e6) / Math.max(1, decisions);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
  return { lane, decisionsPerSecond: decisions / elapsed, p50Ms: at(0.5), p99Ms: at(0.99), refused, cpuUsPerDecision };
}

try {
  const results: Result[] = [];
  for (const rules of [1, 4, 16]) {
    const subjects = await subjectsWith(rules);
    results.push(await run(`${rules} rule${rules === 1 ? "" : "s"}, single`, subjects, 1));
    results.push(await run(`${rules} rule${rules === 1 ? "" : "s"}, batch ${batchSize}`, subjects, batchSize));
  }
  const header = ["quota.v1.check", "decisions/s", "p50 ms", "p99 ms", "refused", "quota CPU µs/decision", "→ decisions/s/core"];
  const rows = results.map((r) => [
    r.lane,
    r.decisionsPerSecond.toFixed(0),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    String(r.refused),
    r.cpuUsPerDecision.toFixed(0),
    (1e6 / Math.max(1, r.cpuUsPerDecision)).toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(`one quota process, ${concurrency} checks in flight, ${values.duration} s per lane (latency: per message)`);
  console.log(
    `machine load average: ${loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")} on ${cpus().length} cores`,
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));
} finally {
  await bus.close(1000);
  await quota.stop();
  await testEnv.cleanup();
}
