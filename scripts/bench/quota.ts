/**
 * `npm run bench -- quota [--duration 4] [--concurrency 64] [--batch 32]`: quota.v1.check decisions per second and
 * latency against one quota process (its own, on the real NATS and Redis), with 1, 4 and 16 rules per request —
 * single checks (one NATS message each, latency as a client sees it) and batches (what an edge sends when several
 * requests arrive in one event-loop tick). The load generator is this process; quota runs in its own.
 * The first lane is the machine's floor: a process that answers each NATS request after one Redis script call and
 * nothing else (`_floor-responder.ts`), so quota's own share of each latency shows beside what any design would pay.
 *
 * Narrowing and diagnosing: `--rules 4 --lanes single`; `--trace-gc` (the quota process's scavenges and
 * mark-compacts during the lanes); `--profile` (a CPU profile for `npm run bench -- profile-top`);
 * `--node-args=<flags>` (more Node flags for quota) with `--signal SIGUSR2` (sent after the lanes, e.g. for
 * `--heapsnapshot-signal=SIGUSR2`).
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { connectBus } from "@thinkwatch/bus";
import { createLogger } from "@thinkwatch/log";
import { QuotaCheck, QuotaCheckBatch, type QuotaCheckRequest, QuotaRulesSet, type QuotaSubject } from "@thinkwatch/proto";
import { createRedis } from "@thinkwatch/redis";
import { createTestEnvironment, startFleetProcess } from "@thinkwatch/testkit";
import { createQuotaEngine } from "../../services/quota/src/engine/quota-engine.js";
import { cpuSeconds, REPO_ROOT, redisCpuSeconds, startServerScript } from "./_procs.js";
import { writeResultsSection } from "./_results.js";
import { formatTable } from "./_table.js";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "4" },
    concurrency: { type: "string", default: "64" },
    batch: { type: "string", default: "32" },
    /** Which rule counts to run (comma-separated), e.g. `--rules 4`. */
    rules: { type: "string", default: "1,4,16" },
    /** Which lanes: single, batch or both. */
    lanes: { type: "string", default: "single,batch" },
    /** CPU profile of the quota process into bench/profiles (read it with `npm run bench -- profile-top`). */
    profile: { type: "boolean", default: false },
    /** The quota process's GC pauses during the lanes (`--trace-gc`): count, total, median, longest. */
    "trace-gc": { type: "boolean", default: false },
    /** More Node flags for the quota process, space-separated (e.g. `--heapsnapshot-signal=SIGUSR2`). */
    "node-args": { type: "string", default: "" },
    /** Send this signal to the quota process after the last lane (e.g. SIGUSR2 for a heap snapshot). */
    signal: { type: "string" },
  },
});
const durationMs = Number(values.duration) * 1000;
const concurrency = Number(values.concurrency);
const batchSize = Number(values.batch);

const WINDOWS = [60, 300, 3600, 18000] as const;
const testEnv = await createTestEnvironment();
const ruleCounts = values.rules.split(",").map(Number);
const lanes = new Set(values.lanes.split(","));
const nodeArgs = [
  ...(values.profile ? ["--cpu-prof", "--cpu-prof-dir=bench/profiles"] : []),
  ...(values["trace-gc"] ? ["--trace-gc"] : []),
  ...values["node-args"].split(" ").filter((arg) => arg !== ""),
];
const quota = await startFleetProcess({
  env: { ...testEnv.env, LOG_LEVEL: "warn" },
  services: ["quota"],
  ...(nodeArgs.length === 0 ? {} : { nodeArgs }),
});
const floorSubject = `${testEnv.id}.bench.floor`;
const floor = await startServerScript(
  "_floor-responder.ts",
  ["--subject", floorSubject, "--nats", testEnv.env.NATS_URL as string, "--redis", testEnv.env.REDIS_URL as string],
  undefined,
);
const redis = createRedis({ url: testEnv.env.REDIS_URL as string, keyPrefix: "" });
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
  await fillWindows(subjects, rules);
  return subjects;
}

/**
 * Every window of the subjects' rules holds 60 live buckets before the lane starts, as under steady traffic (a lane of
 * a few seconds on fresh subjects would otherwise measure windows almost empty). Written with quota's own engine and a
 * clock set to each bucket in the past, on the keys the quota process uses.
 */
async function fillWindows(subjects: QuotaSubject[], rules: number): Promise<void> {
  const filler = createRedis({ url: testEnv.env.REDIS_URL as string, keyPrefix: `tw:${testEnv.id}:` });
  let now = Date.now();
  const engine = createQuotaEngine({ redis: filler, clock: () => now, reservationTtlMs: 60_000, markerTtlMs: 60_000 });
  const start = Date.now();
  for (const [index, subject] of subjects.entries()) {
    const count = Math.min(4, rules - index * 4);
    for (const windowSeconds of WINDOWS.slice(0, count)) {
      const application = {
        subject,
        rule: {
          surface: "ai_gateway" as const,
          metric: "requests" as const,
          windowSeconds,
          limit: 1_000_000_000,
          enabled: true,
          expiresAt: null,
          reason: null,
        },
      };
      for (let bucket = 59; bucket >= 0; bucket--) {
        now = start - bucket * ((windowSeconds * 1000) / 60) - 1;
        await engine.check({ rules: [application], budgets: [] });
      }
    }
  }
  filler.disconnect();
}

interface Result {
  lane: string;
  decisionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  refused: number;
  /** CPU the quota process spent per decision: what the machine's load cannot inflate much. */
  cpuUsPerDecision: number;
  /** CPU the Redis server spent per decision (its whole process: the scripts and everything around them). */
  redisUsPerDecision: number;
  decisions: number;
}

async function run(lane: string, subjects: QuotaSubject[], perMessage: number, toFloor = false): Promise<Result> {
  const check = (n: number): QuotaCheckRequest => ({ surface: "ai_gateway", subjects, requestId: `b${n}` });
  // Warm the rule cache and the script cache.
  await bus.request(QuotaCheck, check(0));
  const floorPayload = new TextEncoder().encode(JSON.stringify(check(0)));
  const latencies: number[] = [];
  let decisions = 0;
  let refused = 0;
  const pid = toFloor ? floor.pid : (quota.process.pid as number);
  const cpuBefore = cpuSeconds(pid);
  const redisBefore = await redisCpuSeconds(redis);
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      if (toFloor) {
        await bus.nc.request(floorSubject, floorPayload, { timeout: 5000 });
        decisions += 1;
      } else if (perMessage === 1) {
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
  const redisUsPerDecision = (((await redisCpuSeconds(redis)) - redisBefore) * 1e6) / Math.max(1, decisions);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
  return {
    lane,
    decisionsPerSecond: decisions / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    refused,
    cpuUsPerDecision,
    redisUsPerDecision,
    decisions,
  };
}

try {
  const results: Result[] = [];
  // GC lines written from here on are the lanes' (setup and startup excluded).
  const gcFrom = quota.output().length;
  let decisionsInAll = 0;
  if (lanes.has("single")) results.push(await run("floor: NATS + 1 Redis call", [], 1, true));
  for (const rules of ruleCounts) {
    const subjects = await subjectsWith(rules);
    if (lanes.has("single")) results.push(await run(`${rules} rule${rules === 1 ? "" : "s"}, single`, subjects, 1));
    if (lanes.has("batch"))
      results.push(await run(`${rules} rule${rules === 1 ? "" : "s"}, batch ${batchSize}`, subjects, batchSize));
  }
  decisionsInAll = results.reduce((sum, r) => sum + r.decisions, 0);
  const header = [
    "quota.v1.check",
    "decisions/s",
    "p50 ms",
    "p99 ms",
    "refused",
    "quota CPU µs/decision",
    "→ decisions/s/core",
    "Redis CPU µs/decision",
  ];
  const rows = results.map((r) => [
    r.lane,
    r.decisionsPerSecond.toFixed(0),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    String(r.refused),
    r.cpuUsPerDecision.toFixed(0),
    (1e6 / Math.max(1, r.cpuUsPerDecision)).toFixed(0),
    r.redisUsPerDecision.toFixed(0),
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
  if (values.signal !== undefined) {
    quota.process.kill(values.signal as NodeJS.Signals);
    await new Promise((done) => setTimeout(done, 3000));
  }
  const gcNotes: string[] = [];
  if (values["trace-gc"]) {
    mkdirSync(resolve(REPO_ROOT, "bench/profiles"), { recursive: true });
    writeFileSync(resolve(REPO_ROOT, "bench/profiles/quota-trace-gc.log"), quota.output().slice(gcFrom));
    // Lines like `[pid:0x…]   1234 ms: Scavenge 12.3 (14.0) -> 11.9 (15.0) MB, 0.84 / 0.00 ms  (average mu = …`
    const pauses = [
      ...quota
        .output()
        .slice(gcFrom)
        .matchAll(/ms: (Scavenge|Mark-Compact|Mark-sweep)[^,]*, ([\d.]+) \/ [\d.]+ ms/g),
    ].map((m) => [m[1] as string, Number(m[2])] as const);
    const byKind = new Map<string, number[]>();
    for (const [kind, ms] of pauses) byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    for (const [kind, list] of byKind) {
      const sorted = list.sort((a, b) => a - b);
      const total = sorted.reduce((a, b) => a + b, 0);
      gcNotes.push(
        `quota GC ${kind}: ${sorted.length} pauses (${((sorted.length * 1000) / Math.max(1, decisionsInAll)).toFixed(2)} per 1000 decisions), ${total.toFixed(1)} ms in all, median ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(2)} ms, longest ${(sorted.at(-1) ?? 0).toFixed(2)} ms`,
      );
    }
    for (const note of gcNotes) console.log(note);
  }
  // Only whole runs are recorded: not narrowed ones, and not a profiled or otherwise instrumented quota process.
  const whole = values.rules === "1,4,16" && lanes.has("single") && lanes.has("batch");
  if (whole && !values.profile && values["node-args"] === "" && values.signal === undefined) {
    const text = [
      `One quota process, ${concurrency} checks in flight, ${values.duration} s per lane; latency per message as the client sees it. The load generator is a separate process on the same 2 cores, as are NATS and Redis. The floor lane is a process that answers each request after one Redis script call and nothing else: what the machine costs before quota's own code. Every rule's window holds 60 live buckets before its lane (as under steady traffic); Redis CPU is the Redis server's own (INFO cpu) per decision.`,
      "",
      formatTable(header, rows),
      ...(gcNotes.length === 0 ? [] : ["", ...gcNotes.map((note) => `- ${note}`)]),
    ].join("\n");
    await writeResultsSection(
      `quota (${concurrency} in flight)`,
      `npm run bench -- quota ${process.argv.slice(2).join(" ")}`.trim(),
      text,
    );
  }
} finally {
  await bus.close(1000);
  redis.disconnect();
  await floor.stop();
  await quota.stop();
  await testEnv.cleanup();
}
