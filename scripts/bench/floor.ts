/**
 * `npm run bench -- floor [--duration 4] [--rounds 5] [--split]`: what the work every request must do costs by
 * itself. Beside the direct call, the bare hop and ThinkWatch's pass-through and governed lanes, it runs the bare hop
 * with the mandatory steps added one at a time (_step-hop.ts: key hash lookup, client JSON decoded and validated,
 * usage read from the reply, the audit event queued on a batching outbox to JetStream, the Prometheus metrics), each
 * in its own process on the servers' core. That rung is the pass-through floor: a gateway doing only that work, with
 * the gateway's own libraries and none of its plumbing. One more rung adds a quota decision over NATS from a
 * responder that makes one Redis script call per message (_floor-responder.ts, on the load core as quota would be in
 * its own process): the governed floor. The gap from a floor to ThinkWatch's lane is what the gateway's plumbing
 * costs; the gap from the hop to a floor is what the steps cost as the gateway's libraries implement them. 50
 * connections, unary. Each round runs every lane once, in its own shuffled order (a disturbance of the shared
 * machine — a ClickHouse merge, the other services' consumers — then lands on different lanes in different rounds).
 * Req/s is the median of the rounds; CPU per request is the least disturbed round's (disturbances only add to it).
 * Results go to bench/RESULTS.md.
 */
import { parseArgs } from "node:util";
import { seededRandom } from "@thinkwatch/testkit";
import { FLOOR_STEPS, startStepHop } from "./_floor.js";
import { LOAD_CORE, SERVER_CORE, startLaneServers } from "./_lane-setup.js";
import { type ServerProcess, startServerScript } from "./_procs.js";
import { writeResultsSection } from "./_results.js";
import { median, type RunResult, runLoadProcess } from "./_run-load.js";
import { formatTable } from "./_table.js";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "4" },
    rounds: { type: "string", default: "5" },
    connections: { type: "string", default: "50" },
    split: { type: "boolean", default: false },
  },
});
const durationMs = Number(values.duration) * 1000;
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const command = `npm run bench -- floor ${process.argv.slice(2).join(" ")}`.trim();

/** Cumulative: each rung adds one step to the one before. */
const RUNGS: Array<{ name: string; steps: string }> = [
  { name: "+ key hash lookup", steps: "auth" },
  { name: "+ decode and validate", steps: "auth,decode" },
  { name: "+ usage from the reply", steps: "auth,decode,usage" },
  { name: "+ audit event to JetStream", steps: "auth,decode,usage,audit" },
  { name: "+ metrics = pass-through floor", steps: FLOOR_STEPS["pass-through"] },
  { name: "+ quota round trip = governed floor", steps: FLOOR_STEPS.governed },
];
const PASS_FLOOR = "+ metrics = pass-through floor";
const GOVERNED_FLOOR = "+ quota round trip = governed floor";
const QUOTA_SUBJECT = `bench.floor.quota.${process.pid}`;

const servers = await startLaneServers({ split: values.split, portkey: false, streamChunks: 1, streamGapMs: 0 });
const stepHops: ServerProcess[] = [];
let responder: ServerProcess | null = null;
try {
  responder = await startServerScript("_floor-responder.ts", ["--subject", QUOTA_SUBJECT], LOAD_CORE);
  for (const rung of RUNGS) {
    stepHops.push(await startStepHop(servers.upstreamBase, rung.steps, QUOTA_SUBJECT));
  }
  const chat = JSON.stringify({ model: "gpt-4o-mini", stream: false, messages: [{ role: "user", content: "benchmark me" }] });
  const json = { "content-type": "application/json" };
  const lanes = [
    {
      name: "direct",
      url: `${servers.upstreamBase}/chat/completions`,
      headers: { ...json, authorization: "Bearer sk-bench" },
      pid: servers.upstream.pid,
    },
    {
      name: "bare hop",
      url: `http://127.0.0.1:${servers.bareHop.port}/v1/chat/completions`,
      headers: { ...json, authorization: "Bearer sk-bench" },
      pid: servers.bareHop.pid,
    },
    ...RUNGS.map((rung, index) => ({
      name: rung.name,
      url: `http://127.0.0.1:${(stepHops[index] as ServerProcess).port}/v1/chat/completions`,
      headers: { ...json, authorization: "Bearer tw-bench-key" },
      pid: (stepHops[index] as ServerProcess).pid,
    })),
    {
      name: "ThinkWatch pass-through",
      url: `${servers.gateway.url}/v1/chat/completions`,
      headers: { ...json, authorization: `Bearer ${servers.passKey}` },
      pid: servers.gateway.pid,
    },
    {
      name: "ThinkWatch governed",
      url: `${servers.gateway.url}/v1/chat/completions`,
      headers: { ...json, authorization: `Bearer ${servers.governedKey}` },
      pid: servers.gateway.pid,
    },
  ];
  /** What each lane's added CPU is measured from: the rung above it, and each ThinkWatch lane from its floor. */
  const baseOf = (name: string, index: number): string | null => {
    if (name === "direct" || name === "bare hop") return null;
    if (name === "ThinkWatch pass-through") return PASS_FLOOR;
    if (name === "ThinkWatch governed") return GOVERNED_FLOOR;
    return lanes[index - 1]?.name ?? null;
  };
  for (const lane of lanes) {
    const answer = await fetch(lane.url, { method: "POST", headers: lane.headers, body: chat });
    if (!answer.ok) throw new Error(`${lane.name} answered ${answer.status}: ${await answer.text()}`);
  }

  const run = (lane: (typeof lanes)[number], ms: number) =>
    runLoadProcess({ url: lane.url, headers: lane.headers, body: chat, connections, durationMs: ms }, lane.pid, LOAD_CORE);
  console.log(`floor: ${rounds} rounds × ${durationMs / 1000} s per lane, ${connections} connections`);
  // Warm-up: the JIT of every process (the step hops compile under tsx) settles before anything is measured.
  for (const lane of lanes) await run(lane, 5000);
  const samples = new Map<string, RunResult[]>();
  const random = seededRandom(14);
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round}/${rounds}`);
    const order = lanes.map((lane) => ({ lane, at: random() })).sort((a, b) => a.at - b.at);
    for (const { lane } of order) {
      const result = await run(lane, durationMs);
      if (result.errors > 0 || result.non2xx > 0)
        console.warn(`  ${lane.name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
      samples.set(lane.name, [...(samples.get(lane.name) ?? []), result]);
      await new Promise((done) => setTimeout(done, 500));
    }
  }

  const med = (name: string, pick: (r: RunResult) => number) => median((samples.get(name) ?? []).map(pick));
  const hopRps = med("bare hop", (r) => r.requestsPerSecond);
  const least = (name: string) => Math.min(...(samples.get(name) ?? []).map((r) => r.cpuSecondsPer1k));
  const hopCpu = least("bare hop");
  const table = formatTable(
    ["lane", `req/s c${connections}`, "vs hop", "CPU µs/req", "+µs vs the rung above / its floor", "+µs vs hop"],
    lanes.map((lane, index) => {
      const rps = med(lane.name, (r) => r.requestsPerSecond);
      const cpu = least(lane.name);
      const base = baseOf(lane.name, index);
      const step = base === null ? Number.NaN : cpu - least(base);
      const fixed = (n: number) => (Number.isNaN(n) ? "" : (n * 1000).toFixed(1));
      return [
        lane.name,
        rps.toFixed(0),
        lane.name === "direct" || lane.name === "bare hop" ? "" : `${((rps / hopRps) * 100).toFixed(0)} %`,
        fixed(cpu),
        fixed(step),
        lane.name === "direct" || lane.name === "bare hop" ? "" : fixed(cpu - hopCpu),
      ];
    }),
  );
  const text = [
    table,
    "",
    `- Mode: ${values.split ? "ThinkWatch with ai-proxy alone in its process" : "ThinkWatch all-in-one"}; every server on core ${SERVER_CORE} (one at a time under load), the load generator and the upstream on core ${LOAD_CORE}.`,
    "- CPU µs/req: the serving process's CPU time per request (user + system), least disturbed round (its minimum; req/s is the median). Lanes run in a shuffled order each round. Each ThinkWatch row's \"+µs vs its floor\" is the gateway's plumbing beyond the mandatory work; in all-in-one mode it also holds the other services' share (audit-ingest decoding and writing the events, quota, the consumers).",
    "- The step hops run the gateway's own code for each step (@thinkwatch/providers decode and usage readers, @thinkwatch/bus outbox with batching, @thinkwatch/metrics) under tsx with the fleet's Node flags (services/fleet/node-flags.json); the bare hop runs with Node's defaults.",
  ].join("\n");
  console.log(`\n${text}\n`);
  await writeResultsSection(values.split ? "floor (one service per process)" : "floor", command, text);
} finally {
  for (const hop of stepHops) await hop.stop().catch(() => undefined);
  await responder?.stop().catch(() => undefined);
  await servers.close();
}
