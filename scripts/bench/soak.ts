/**
 * `npm run bench -- soak [--minutes 30] [--connections 10] [--split]`: memory under steady load. The gateway serves
 * pass-through, governed and streamed requests in turn for the whole time; its RSS is sampled every 10 s and the
 * growth per minute is the least-squares slope after the first minute (start-up and JIT warm-up excluded). Goals from
 * issue 14: idle all-in-one RSS ≤ 250 MB, growth ≤ 1 MB/min.
 */
import { parseArgs } from "node:util";
import { LOAD_CORE, startLaneServers } from "./_lane-setup.js";
import { rssMb } from "./_procs.js";
import { writeResultsSection } from "./_results.js";
import { runLoadProcess } from "./_run-load.js";
import { formatTable } from "./_table.js";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    connections: { type: "string", default: "10" },
    split: { type: "boolean", default: false },
  },
});
const minutes = Number(values.minutes);
const connections = Number(values.connections);
const command = `npm run bench -- soak ${process.argv.slice(2).join(" ")}`.trim();

const servers = await startLaneServers({ split: values.split, portkey: false, streamChunks: 20, streamGapMs: 1 });
try {
  const pid = servers.gateway.pid;
  const url = `${servers.gateway.url}/v1/chat/completions`;
  const body = (stream: boolean) =>
    JSON.stringify({ model: "gpt-4o-mini", stream, messages: [{ role: "user", content: "soak the gateway" }] });
  const header = (key: string) => ({ "content-type": "application/json", authorization: `Bearer ${key}` });
  // Let the config plane reach the gateway, then measure idle memory.
  for (let tries = 0; ; tries++) {
    const answer = await fetch(url, { method: "POST", headers: header(servers.passKey), body: body(false) }).catch(() => null);
    await answer?.arrayBuffer();
    if (answer?.ok === true) break;
    if (tries > 60) throw new Error("the gateway never answered");
    await new Promise((done) => setTimeout(done, 500));
  }
  await new Promise((done) => setTimeout(done, 2000));
  const idle = rssMb(pid);
  console.log(`soak: ${minutes} min, ${connections} connections; idle RSS ${idle.toFixed(1)} MB`);

  const started = Date.now();
  const endAt = started + minutes * 60_000;
  const samples: Array<{ minute: number; rss: number }> = [];
  const sampler = setInterval(() => {
    const sample = { minute: (Date.now() - started) / 60_000, rss: rssMb(pid) };
    samples.push(sample);
    console.log(`  ${sample.minute.toFixed(1)} min  RSS ${sample.rss.toFixed(1)} MB`);
  }, 10_000);
  let requests = 0;
  let failures = 0;
  const jobs = [
    { headers: header(servers.passKey), body: body(false) },
    { headers: header(servers.governedKey), body: body(false) },
    { headers: header(servers.governedKey), body: body(true), marker: "echo" },
  ];
  try {
    for (let i = 0; Date.now() < endAt; i++) {
      const job = jobs[i % jobs.length] as (typeof jobs)[number];
      const result = await runLoadProcess(
        { url, connections, durationMs: Math.min(20_000, Math.max(1000, endAt - Date.now())), ...job },
        pid,
        LOAD_CORE,
      );
      requests += result.requests;
      failures += result.errors + result.non2xx;
    }
  } finally {
    clearInterval(sampler);
  }

  const steady = samples.filter((s) => s.minute >= 1);
  const slope = leastSquaresSlope(steady.map((s) => [s.minute, s.rss]));
  const last = samples.at(-1)?.rss ?? Number.NaN;
  const table = formatTable(
    ["minutes", "requests", "failed", "idle RSS MB", "final RSS MB", "peak RSS MB", "growth MB/min (after minute 1)"],
    [
      [
        String(minutes),
        String(requests),
        String(failures),
        idle.toFixed(1),
        last.toFixed(1),
        Math.max(...samples.map((s) => s.rss)).toFixed(1),
        Number.isNaN(slope) ? "– (run longer than 2 minutes)" : slope.toFixed(2),
      ],
    ],
  );
  console.log(`\n${table}`);
  await writeResultsSection(
    values.split ? "soak (one service per process)" : "soak",
    command,
    `${table}\n\n- Load: pass-through, governed and governed streams in turn, ${connections} connections, on core ${LOAD_CORE}.`,
  );
} finally {
  await servers.close();
}

function leastSquaresSlope(points: Array<[number, number]>): number {
  if (points.length < 3) return Number.NaN;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? Number.NaN : sxy / sxx;
}
