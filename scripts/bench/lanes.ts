/**
 * `npm run bench -- lanes [--duration 5] [--rounds 3] [--split] [--no-portkey] [--profile]`: the gateway's lanes
 * beside a direct call and a bare proxy hop, in one run, on one fixed upstream. The servers share core 0, the load
 * generator and the upstream run on core 1 (taskset). Rounds interleave the lanes; each figure is the median of the
 * rounds. Per lane: req/s and p50/p99 at 1 and 50 connections, CPU seconds per 1,000 requests and peak RSS of the
 * serving process; streams: time to first token and the gaps between chunks; large bodies (200 KB, 1 MB): direct,
 * bare hop and pass-through. The tables go to stdout and to bench/RESULTS.md. `--only pass-through,governed` runs
 * those gateway lanes beside direct and the bare hop and prints without writing RESULTS.md (for profiling one lane).
 */
import { parseArgs } from "node:util";
import { createRedis } from "@thinkwatch/redis";
import { waitFor } from "@thinkwatch/testkit";
import { codingAgentBody } from "./_bodies.js";
import { LOAD_CORE, SERVER_CORE, startLaneServers } from "./_lane-setup.js";
import type { LoadJob } from "./_loadgen.js";
import { clickhouseCpuSeconds, HAS_TASKSET, redisCpuSeconds, rssMb } from "./_procs.js";
import { writeResultsSection } from "./_results.js";
import { median, type RunResult, runLoadProcess } from "./_run-load.js";
import { formatTable } from "./_table.js";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "50" },
    "body-connections": { type: "string", default: "16" },
    split: { type: "boolean", default: false },
    "no-portkey": { type: "boolean", default: false },
    "no-bodies": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const durationMs = Number(values.duration) * 1000;
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const bodyConnections = Number(values["body-connections"]);
const command = `npm run bench -- lanes ${process.argv.slice(2).join(" ")}`.trim();

const servers = await startLaneServers({
  split: values.split,
  portkey: !values["no-portkey"],
  streamChunks: 20,
  streamGapMs: 1,
  ...(values.profile ? { gatewayNodeArgs: ["--cpu-prof", "--cpu-prof-dir=bench/profiles"] } : {}),
});

interface Lane {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** The request body for a stream flag. */
  body: (stream: boolean) => string;
  pid: number;
}

// The Redis server the fleet uses, read for its CPU counters only.
const redis = createRedis({ url: servers.redisUrl, keyPrefix: "" });
try {
  const json = { "content-type": "application/json" };
  const chat = (stream: boolean) =>
    JSON.stringify({ model: "gpt-4o-mini", stream, messages: [{ role: "user", content: "benchmark me" }] });
  const gw = servers.gateway.url;
  const allLanes: Lane[] = [
    {
      name: "direct",
      url: `${servers.upstreamBase}/chat/completions`,
      headers: { ...json, authorization: "Bearer sk-bench" },
      body: chat,
      pid: servers.upstream.pid,
    },
    {
      name: "bare hop",
      url: `http://127.0.0.1:${servers.bareHop.port}/v1/chat/completions`,
      headers: { ...json, authorization: "Bearer sk-bench" },
      body: chat,
      pid: servers.bareHop.pid,
    },
    {
      name: "pass-through",
      url: `${gw}/v1/chat/completions`,
      headers: { ...json, authorization: `Bearer ${servers.passKey}` },
      body: chat,
      pid: servers.gateway.pid,
    },
    {
      name: "governed",
      url: `${gw}/v1/chat/completions`,
      headers: { ...json, authorization: `Bearer ${servers.governedKey}` },
      body: chat,
      pid: servers.gateway.pid,
    },
    {
      name: "translated",
      url: `${gw}/v1/messages`,
      headers: { ...json, "x-api-key": servers.passKey, "anthropic-version": "2023-06-01" },
      body: (stream) =>
        JSON.stringify({ model: "gpt-4o-mini", stream, max_tokens: 256, messages: [{ role: "user", content: "benchmark me" }] }),
      pid: servers.gateway.pid,
    },
  ];
  if (servers.portkey !== null) {
    allLanes.push({
      name: "portkey",
      url: `http://127.0.0.1:${servers.portkey.port}/v1/chat/completions`,
      headers: {
        ...json,
        authorization: "Bearer sk-bench",
        "x-portkey-provider": "openai",
        "x-portkey-custom-host": servers.upstreamBase,
      },
      body: chat,
      pid: servers.portkey.pid,
    });
  }

  const only = values.only?.split(",").map((name) => name.trim());
  const lanes = allLanes.filter(
    (lane) => only === undefined || lane.name === "direct" || lane.name === "bare hop" || only.includes(lane.name),
  );

  // Every lane answers before anything is measured (routing and keys reach the gateway through the config plane).
  for (const lane of lanes) {
    for (const stream of [false, true]) {
      await waitFor(
        async () => {
          const answer = await fetch(lane.url, { method: "POST", headers: lane.headers, body: lane.body(stream) });
          await answer.arrayBuffer();
          return answer.ok;
        },
        { what: `the ${lane.name} lane to answer (stream ${stream})`, timeoutMs: 30_000 },
      );
    }
  }
  const idleRss = rssMb(servers.gateway.pid);

  const run = (lane: Lane, job: Omit<LoadJob, "url" | "headers">) =>
    runLoadProcess({ url: lane.url, headers: lane.headers, ...job }, lane.pid, LOAD_CORE);
  // The Redis server's CPU per request (quota's counters, the breakers' shared state): outside every lane's process.
  const redisUs = new Map<string, number[]>();
  // ClickHouse's CPU per request: audit-ingest's inserts of the lane's events (and the merges they cause). Read once
  // the last batch of the run has been written (audit-ingest flushes at most AUDIT_BATCH_WAIT_MS after an event).
  const clickhouseUs = new Map<string, number[]>();
  const auditFlush = () => new Promise((done) => setTimeout(done, 1500));
  const settle = () => new Promise((done) => setTimeout(done, 500));

  console.log(
    `lanes: ${rounds} rounds × ${durationMs / 1000} s per measurement; servers on core ${SERVER_CORE}, load on core ${LOAD_CORE}` +
      (HAS_TASKSET ? "" : " (taskset missing: NOT pinned)"),
  );
  for (const lane of lanes) await run(lane, { body: lane.body(false), connections, durationMs: 2000 });

  type Key = string;
  const samples = new Map<Key, RunResult[]>();
  const add = (key: Key, result: RunResult) => {
    if (result.errors > 0 || result.non2xx > 0) {
      console.warn(
        `  ${key}: ${result.errors} errors, ${result.non2xx} non-2xx${result.firstError ? ` (${result.firstError})` : ""}`,
      );
    }
    samples.set(key, [...(samples.get(key) ?? []), result]);
  };
  const bodies = values["no-bodies"]
    ? []
    : [
        { label: "200 KB", body: codingAgentBody(200 * 1024) },
        { label: "1 MB", body: codingAgentBody(1024 * 1024) },
      ];
  const bodyLanes = lanes.filter((lane) => ["direct", "bare hop", "pass-through"].includes(lane.name));

  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round}/${rounds}`);
    for (const lane of lanes) {
      for (const c of [1, connections]) {
        const redisBefore = await redisCpuSeconds(redis);
        const clickhouseBefore = clickhouseCpuSeconds();
        const result = await run(lane, { body: lane.body(false), connections: c, durationMs });
        add(`${lane.name}|${c}`, result);
        if (c === connections) {
          const perRequest = (((await redisCpuSeconds(redis)) - redisBefore) * 1e6) / Math.max(1, result.requests);
          redisUs.set(lane.name, [...(redisUs.get(lane.name) ?? []), perRequest]);
          await auditFlush();
          const clickhouse = ((clickhouseCpuSeconds() - clickhouseBefore) * 1e6) / Math.max(1, result.requests);
          clickhouseUs.set(lane.name, [...(clickhouseUs.get(lane.name) ?? []), clickhouse]);
        }
        await settle();
      }
      add(`${lane.name}|stream`, await run(lane, { body: lane.body(true), connections: 1, durationMs, marker: "echo" }));
      await settle();
    }
    for (const { label, body } of bodies) {
      for (const lane of bodyLanes) {
        add(`${lane.name}|${label}`, await run(lane, { body, connections: bodyConnections, durationMs }));
        await settle();
      }
    }
  }

  const med = (key: Key, pick: (r: RunResult) => number) => median((samples.get(key) ?? []).map(pick));
  const peak = (key: Key) => Math.max(...(samples.get(key) ?? []).map((r) => r.peakRssMb));
  const fixed = (n: number, digits: number) => (Number.isNaN(n) ? "–" : n.toFixed(digits));
  const ratio = (a: number, b: number) =>
    Number.isNaN(a) || Number.isNaN(b) || b === 0 ? "–" : `${((a / b) * 100).toFixed(0)} %`;
  const hop = (c: number) => med(`bare hop|${c}`, (r) => r.requestsPerSecond);

  const unary = formatTable(
    [
      "lane",
      `req/s c${connections}`,
      "vs hop",
      `p50 ms c${connections}`,
      `p99 ms c${connections}`,
      "req/s c1",
      "p50 ms c1",
      "p99 ms c1",
      "+p50 c1 vs hop",
      "+p99 c1 vs hop",
      "CPU s/1k req",
      `Redis CPU µs/req c${connections}`,
      `ClickHouse CPU µs/req c${connections}`,
      "peak RSS MB",
    ],
    lanes.map((lane) => {
      const n = lane.name;
      const rps = med(`${n}|${connections}`, (r) => r.requestsPerSecond);
      const p50c1 = med(`${n}|1`, (r) => r.p50Ms);
      const p99c1 = med(`${n}|1`, (r) => r.p99Ms);
      return [
        n,
        fixed(rps, 0),
        n === "direct" || n === "bare hop" ? "" : ratio(rps, hop(connections)),
        fixed(
          med(`${n}|${connections}`, (r) => r.p50Ms),
          2,
        ),
        fixed(
          med(`${n}|${connections}`, (r) => r.p99Ms),
          2,
        ),
        fixed(
          med(`${n}|1`, (r) => r.requestsPerSecond),
          0,
        ),
        fixed(p50c1, 3),
        fixed(p99c1, 3),
        n === "direct" || n === "bare hop" ? "" : fixed(p50c1 - med("bare hop|1", (r) => r.p50Ms), 3),
        n === "direct" || n === "bare hop" ? "" : fixed(p99c1 - med("bare hop|1", (r) => r.p99Ms), 3),
        fixed(
          med(`${n}|${connections}`, (r) => r.cpuSecondsPer1k),
          3,
        ),
        fixed(median(redisUs.get(n) ?? []), 0),
        fixed(median(clickhouseUs.get(n) ?? []), 0),
        fixed(Math.max(peak(`${n}|1`), peak(`${n}|${connections}`)), 0),
      ];
    }),
  );
  const directTtft = (q: "ttftP50Ms" | "ttftP99Ms" | "gapP50Ms" | "gapP99Ms") => med("direct|stream", (r) => r[q]);
  const streams = formatTable(
    ["stream lane (1 connection)", "TTFT p50 ms", "TTFT p99 ms", "+TTFT p99", "gap p50 ms", "gap p99 ms", "+gap p99"],
    lanes.map((lane) => {
      const key = `${lane.name}|stream`;
      const ttft99 = med(key, (r) => r.ttftP99Ms);
      const gap99 = med(key, (r) => r.gapP99Ms);
      return [
        lane.name,
        fixed(
          med(key, (r) => r.ttftP50Ms),
          3,
        ),
        fixed(ttft99, 3),
        lane.name === "direct" ? "" : fixed(ttft99 - directTtft("ttftP99Ms"), 3),
        fixed(
          med(key, (r) => r.gapP50Ms),
          3,
        ),
        fixed(gap99, 3),
        lane.name === "direct" ? "" : fixed(gap99 - directTtft("gapP99Ms"), 3),
      ];
    }),
  );
  const bodyTable =
    bodies.length === 0
      ? ""
      : formatTable(
          ["body", "lane", `req/s c${bodyConnections}`, "vs hop", "p50 ms", "p99 ms", "CPU s/1k req", "peak RSS MB"],
          bodies.flatMap(({ label }) =>
            bodyLanes.map((lane) => {
              const key = `${lane.name}|${label}`;
              const rps = med(key, (r) => r.requestsPerSecond);
              return [
                label,
                lane.name,
                fixed(rps, 0),
                lane.name === "pass-through"
                  ? ratio(
                      rps,
                      med(`bare hop|${label}`, (r) => r.requestsPerSecond),
                    )
                  : "",
                fixed(
                  med(key, (r) => r.p50Ms),
                  2,
                ),
                fixed(
                  med(key, (r) => r.p99Ms),
                  2,
                ),
                fixed(
                  med(key, (r) => r.cpuSecondsPer1k),
                  3,
                ),
                fixed(peak(key), 0),
              ];
            }),
          ),
        );
  const notes = [
    `Gateway process RSS when idle (after warm-up): ${idleRss.toFixed(0)} MB` +
      (values.split ? " (ai-proxy alone)" : " (all-in-one: every service in one process)"),
    `Mode: ${values.split ? "one service per process (ai-proxy alone on core 0; the other services on core 1)" : "all-in-one (one process, core 0)"}.`,
    "CPU s/1k req and RSS are the serving process's only (the upstream for direct); NATS, Redis and ClickHouse run outside it, unpinned.",
    "Redis CPU µs/req: the Redis server's CPU (INFO cpu) during the lane's c50 run ÷ its requests: quota's counter scripts on governed requests, and whatever else touched Redis meanwhile.",
    "ClickHouse CPU µs/req: the local ClickHouse server's CPU from the start of the lane's c50 run until 1.5 s after it (audit-ingest's last batch written) ÷ its requests: the inserts of the lanes' audit events and the merges they cause (a batch left over from the lane's c1 run is counted too).",
  ];
  const text = [unary, "", streams, "", bodyTable, "", ...notes.map((n) => `- ${n}`)].join("\n");
  console.log(`\n${text}`);
  if (only === undefined) await writeResultsSection(values.split ? "lanes (one service per process)" : "lanes", command, text);
} finally {
  redis.disconnect();
  await servers.close();
}
