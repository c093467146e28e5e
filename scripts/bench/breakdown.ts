/**
 * `npm run bench -- breakdown [--lane pass-through|governed] [--duration 5] [--rounds 3] [--split] [--against hop|floor]`:
 * where a gateway request's CPU goes, next to the bare hop's (or, with `--against floor`, next to the lane's floor: the
 * step hop doing only the mandatory work, as `bench floor` builds it, so the difference is the gateway's plumbing).
 * Both servers run under the CPU profiler on the servers' core and take the same load (50 connections, non-streaming
 * chat completions) in interleaved rounds after a warm-up; only the samples taken during those rounds count (start-up
 * and idle time are left out), divided by the requests served. Prints microseconds per request by component
 * (ThinkWatch's own code, each library, Node's HTTP and event loop, the socket write calls, the garbage collector) for
 * the gateway and the reference, and the gateway's own code by source file (and the floor's library files). The
 * profiler slows both servers alike; compare the rows with each other, and read absolute CPU from `lanes`.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type CallFrame, fleetSourceOf, forEachSample, nowUs, ownerOf, type Window } from "./_cpu-profile.js";
import { FLOOR_STEPS, startStepHop } from "./_floor.js";
import { LOAD_CORE, SERVER_CORE, startLaneServers } from "./_lane-setup.js";
import { type ServerProcess, startServerScript } from "./_procs.js";
import { writeResultsSection } from "./_results.js";
import { type RunResult, runLoadProcess } from "./_run-load.js";
import { formatTable } from "./_table.js";

const { values } = parseArgs({
  options: {
    lane: { type: "string", default: "pass-through" },
    duration: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    split: { type: "boolean", default: false },
    against: { type: "string", default: "hop" },
  },
});
if (values.against !== "hop" && values.against !== "floor") {
  console.error("--against is hop or floor");
  process.exit(2);
}
if (values.lane !== "pass-through" && values.lane !== "governed") {
  console.error("--lane is pass-through or governed");
  process.exit(2);
}
const durationMs = Number(values.duration) * 1000;
const rounds = Number(values.rounds);
const command = `npm run bench -- breakdown ${process.argv.slice(2).join(" ")}`.trim();

const dir = mkdtempSync(join(tmpdir(), "tw-breakdown-"));
const profileArgs = (name: string) => ["--cpu-prof", `--cpu-prof-dir=${join(dir, name)}`];
const servers = await startLaneServers({
  split: values.split,
  portkey: false,
  streamChunks: 10,
  streamGapMs: 1,
  gatewayNodeArgs: profileArgs("gateway"),
});
const governed = values.lane === "governed";
const QUOTA_SUBJECT = `bench.breakdown.quota.${process.pid}`;
// The floor of a governed lane asks a quota responder that makes one Redis script call per message (see floor.ts).
const responder: ServerProcess | null =
  values.against === "floor" && governed
    ? await startServerScript("_floor-responder.ts", ["--subject", QUOTA_SUBJECT], LOAD_CORE)
    : null;
const hop =
  values.against === "floor"
    ? await startStepHop(servers.upstreamBase, FLOOR_STEPS[values.lane], QUOTA_SUBJECT, profileArgs("hop"))
    : await startServerScript("_bare-hop.ts", ["--upstream", servers.upstreamBase], SERVER_CORE, profileArgs("hop"));
const reference = values.against === "floor" ? `${values.lane} floor` : "bare hop";

const json = { "content-type": "application/json" };
const body = JSON.stringify({ model: "gpt-4o-mini", stream: false, messages: [{ role: "user", content: "benchmark me" }] });
const key = governed ? servers.governedKey : servers.passKey;
const targets = {
  gateway: {
    job: { url: `${servers.gateway.url}/v1/chat/completions`, headers: { ...json, authorization: `Bearer ${key}` }, body },
    pid: servers.gateway.pid,
  },
  hop: {
    job: {
      url: `http://127.0.0.1:${hop.port}/v1/chat/completions`,
      headers: { ...json, authorization: "Bearer sk-bench" },
      body,
    },
    pid: hop.pid,
  },
};
type Target = keyof typeof targets;
const windows: Record<Target, Window[]> = { gateway: [], hop: [] };
const served: Record<Target, RunResult[]> = { gateway: [], hop: [] };

try {
  for (const name of ["gateway", "hop"] as const) {
    await runLoadProcess({ ...targets[name].job, connections: 50, durationMs: 2000 }, targets[name].pid, LOAD_CORE);
  }
  for (let round = 0; round < rounds; round++) {
    console.log(`round ${round + 1}/${rounds}`);
    const order: Target[] = round % 2 === 0 ? ["gateway", "hop"] : ["hop", "gateway"];
    for (const name of order) {
      const start = nowUs();
      const result = await runLoadProcess({ ...targets[name].job, connections: 50, durationMs }, targets[name].pid, LOAD_CORE);
      windows[name].push([start, nowUs()]);
      served[name].push(result);
      if (result.non2xx + result.errors > 0)
        throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    }
  }
} finally {
  // The profiles are written as the processes exit.
  await hop.stop();
  await responder?.stop();
  await servers.close();
}

/** A workspace source file, as the step hop loads the gateway's libraries (tsx, from source). */
const LIB_SOURCE = /^(libs|services|proto)\//;

/** The component a sampled frame is counted in. */
function componentOf(frame: CallFrame): string {
  const owner = ownerOf(frame);
  // The step hop runs the gateway's libraries from source (under tsx): they are its own code as the bundle is the fleet's.
  if (fleetSourceOf(frame) !== null || frame.url.includes("/scripts/bench/") || LIB_SOURCE.test(owner))
    return "own code (ThinkWatch / the hop's handler)";
  if (owner === "(garbage collector)") return "garbage collector";
  if (owner === "(program)") return "V8 and native code outside JavaScript (program)";
  if (owner === "writev" || owner === "writeBuffer" || owner.startsWith("write")) return `socket writes (native ${owner})`;
  if (frame.url === "") return `native: ${owner}`;
  if (owner === "hono" || owner === "@hono/node-server") return "Hono and @hono/node-server";
  if (owner.startsWith("@nats-io/")) return "NATS client";
  if (owner === "postgres" || owner === "drizzle-orm") return "PostgreSQL client";
  if (/^node:(_http|net|internal\/streams|internal\/stream_base|internal\/http)/.test(owner))
    return "Node HTTP, sockets and streams";
  if (/^node:(internal\/process|internal\/timers|timers|events|internal\/async_hooks|async_hooks)/.test(owner))
    return "Node event loop (ticks, microtasks, timers, events)";
  if (owner.startsWith("node:")) return "Node (other modules)";
  return owner;
}

const perRequest = (name: Target) => {
  const requests = served[name].reduce((sum, r) => sum + r.requests, 0);
  const components = new Map<string, number>();
  const sources = new Map<string, number>();
  for (const file of readdirSync(join(dir, name === "gateway" ? "gateway" : "hop"))) {
    // A process may write more than one profile (tsx runs a loader thread); each holds only its own thread's samples.
    forEachSample(join(dir, name, file), windows[name], (frame, us) => {
      const component = componentOf(frame);
      components.set(component, (components.get(component) ?? 0) + us / requests);
      const source = fleetSourceOf(frame) ?? (LIB_SOURCE.test(ownerOf(frame)) ? ownerOf(frame) : null);
      if (source !== null) sources.set(source, (sources.get(source) ?? 0) + us / requests);
    });
  }
  return { requests, components, sources };
};
const gateway = perRequest("gateway");
const bare = perRequest("hop");
rmSync(dir, { recursive: true, force: true });

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const cpuPerRequest = (name: Target) =>
  served[name].reduce((sum, r) => sum + r.cpuSecondsPer1k * r.requests, 0) / served[name].reduce((s, r) => s + r.requests, 0);
const names = new Set([...gateway.components.keys(), ...bare.components.keys()]);
const rows = [...names]
  .map((name) => ({ name, gw: gateway.components.get(name) ?? 0, hop: bare.components.get(name) ?? 0 }))
  .sort((a, b) => b.gw - b.hop - (a.gw - a.hop));
const shown = rows.filter((r) => Math.abs(r.gw - r.hop) >= 0.5 || r.gw >= 1);
const rest = rows.filter((r) => !shown.includes(r));
const f1 = (n: number) => n.toFixed(1);
const componentTable = formatTable(
  ["component (self time)", "gateway µs/req", `${reference} µs/req`, "difference"],
  [
    ...shown.map((r) => [r.name, f1(r.gw), f1(r.hop), f1(r.gw - r.hop)]),
    [
      `${rest.length} smaller components`,
      f1(rest.reduce((s, r) => s + r.gw, 0)),
      f1(rest.reduce((s, r) => s + r.hop, 0)),
      f1(rest.reduce((s, r) => s + r.gw - r.hop, 0)),
    ],
    [
      "**all sampled CPU**",
      f1(total(gateway.components)),
      f1(total(bare.components)),
      f1(total(gateway.components) - total(bare.components)),
    ],
    ["process CPU (kernel accounting, profiler on)", f1(cpuPerRequest("gateway") * 1000), f1(cpuPerRequest("hop") * 1000), ""],
  ],
);
const sourceRows = (sources: Map<string, number>) =>
  [...sources]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([file, us]) => [file, us.toFixed(2)]);
const sourceTable = [
  formatTable(["ThinkWatch source file (self time)", "µs/req"], sourceRows(gateway.sources)),
  ...(values.against === "floor"
    ? ["", formatTable([`${reference}: library source file (self time)`, "µs/req"], sourceRows(bare.sources))]
    : []),
].join("\n");
const mode = values.split ? "ai-proxy alone in its process" : "all-in-one (every service in the gateway's process)";
const notes = [
  `Lane: ${values.lane} (${governed ? "3 rate-limit rules and a token budget" : "a key with no rules"}), ${mode}; ${gateway.requests} gateway and ${bare.requests} ${reference} requests in ${rounds} interleaved rounds of ${values.duration} s at 50 connections, after a warm-up.`,
  "Self time: a function's own samples, not its callees'; code V8 inlined is counted in its caller. Native socket writes are the write system calls (with the kernel's loopback work they trigger).",
  "The profiler's own cost is in every row, for both servers; the last row is the CPU the kernel charged each process meanwhile.",
];
const text = [componentTable, "", sourceTable, "", ...notes.map((n) => `- ${n}`)].join("\n");
console.log(`\n${text}`);
await writeResultsSection(
  `breakdown (${values.lane}${values.split ? ", one service per process" : ""}${values.against === "floor" ? ", against its floor" : ""})`,
  command,
  text,
);
