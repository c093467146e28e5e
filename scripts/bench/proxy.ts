/**
 * `npm run bench -- proxy [--connections 50] [--duration 10] [--tracing] [--profile]`: the same chat-completion load
 * sent (a) straight to a fake OpenAI upstream and (b) through ai-proxy with auth, quota and audit on (the whole fleet
 * in one process, as `npm start` runs it), in one run, so the ratio is visible. `--tracing` turns OpenTelemetry on
 * with sampling 1.0, exporting OTLP/HTTP to a local sink that discards what it gets. `--profile` writes a CPU profile
 * of the fleet process to bench/profiles/ (read it with `npm run bench -- profile-top`).
 *
 * `npm run bench -- proxy --compare [--rounds 4] [--duration 10] [--rate N]`: the cost of tracing on a shared
 * machine. Two fleets side by side (each in its own namespace), one with tracing off and one with tracing on, loaded
 * in interleaved rounds (off/on, then on/off, …) so a burst of other work hits both alike; prints req/s and the fleet
 * process's CPU per 1,000 requests for each round, and the medians. `--rate` holds both at the same request rate
 * (below saturation), so CPU per request compares the same work with the same batching. `--sampler always_off`
 * (any OTEL_TRACES_SAMPLER value) runs the "on" fleet with that sampler instead of sampling 1.0: spans are made but not
 * recorded, which separates the cost of carrying trace context from the cost of recording and exporting spans.
 * `--cost metrics` compares metrics off and on the same way (the "on" fleet has METRICS_BEARER_TOKEN set and tracing
 * off; leave METRICS_BEARER_TOKEN unset in the shell, or both fleets get it). `--cost none` is the control: two
 * identical fleets, so the difference it shows is the bench's own bias and noise. `--on-first` starts the "on" fleet
 * first (by default it starts second). `--baseline DIR` compares builds instead: the "off" fleet runs the fleet built
 * in another checkout (DIR/services/fleet/dist/main.js, e.g. a worktree at the commit before a change), the "on"
 * fleet this checkout's, both with tracing and metrics off. `--on-node-args="<flags>"` compares Node flags instead: the
 * "on" fleet is started with them (e.g. `--max-semi-space-size=64`), both with tracing and metrics off.
 *
 * In every mode, `--body-kb N` sends a coding agent's conversation of about N KB instead of the one-line chat, and
 * `--no-rule` leaves the key without its requests rule (a pass-through key: no quota check at all).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startOtlpReceiver, waitFor } from "@thinkwatch/testkit";
import { codingAgentBody } from "./_bodies.js";
import { type BenchGateway, startBenchGateway } from "./_gateway.js";
import { type LoadResult, printTable, runLoad } from "./_load.js";
import { formatTable } from "./_table.js";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "10" },
    tracing: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    compare: { type: "boolean", default: false },
    rounds: { type: "string", default: "4" },
    rate: { type: "string" },
    sampler: { type: "string", default: "parentbased_traceidratio" },
    cost: { type: "string", default: "tracing" },
    baseline: { type: "string" },
    "on-node-args": { type: "string" },
    "on-first": { type: "boolean", default: false },
    "body-kb": { type: "string" },
    "no-rule": { type: "boolean", default: false },
  },
});
const connections = Number(values.connections);
const durationSeconds = Number(values.duration);
const overallRate = values.rate === undefined ? undefined : Number(values.rate);

/** User + system CPU time of a process so far (Linux /proc, clock ticks of 10 ms). */
function fleetCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const body =
  values["body-kb"] === undefined
    ? JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "benchmark me" }] })
    : codingAgentBody(Number(values["body-kb"]) * 1024);
const json = { "content-type": "application/json" };

/** A fleet ready for the gateway lane: a generous limit so quota runs its Lua script on every request, provider routable. */
async function prepare(gateway: BenchGateway): Promise<void> {
  const { fleet, admin, key } = gateway;
  const keyId = (await admin.call<{ keys: Array<{ id: string }> }>("GET", "/api/keys")).body.keys[0]?.id;
  if (!values["no-rule"]) {
    await admin.call("PUT", `/api/admin/limits/api_key/${keyId}/rules`, {
      rules: [{ surface: "ai_gateway", metric: "requests", windowSeconds: 60, limit: 100_000_000 }],
    });
  }
  await waitFor(
    async () =>
      (
        await fetch(`${fleet.gatewayUrl}/v1/chat/completions`, {
          method: "POST",
          headers: { ...json, authorization: `Bearer ${key}` },
          body,
        })
      ).ok,
    { what: "the provider to be routable" },
  );
}

interface Measured {
  result: LoadResult;
  /** CPU milliseconds the fleet process spent per request of this run. */
  cpuMsPerRequest: number;
}

/** One measured run of the gateway lane, with the fleet process's CPU time over it. */
async function loadGateway(gateway: BenchGateway, lane: string, seconds: number): Promise<Measured> {
  const cpuBefore = fleetCpuMs(gateway.fleet.process.pid);
  const result = await runLoad({
    lane,
    url: `${gateway.fleet.gatewayUrl}/v1/chat/completions`,
    headers: { ...json, authorization: `Bearer ${gateway.key}` },
    body,
    connections,
    durationSeconds: seconds,
    ...(overallRate === undefined ? {} : { overallRate }),
  });
  const cpuMs = fleetCpuMs(gateway.fleet.process.pid) - cpuBefore;
  return { result, cpuMsPerRequest: cpuMs / Math.max(1, result.requests) };
}

const samplerName = values.sampler === "parentbased_traceidratio" ? "1.0" : values.sampler;

const tracingEnv = (sinkUrl: string) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
  OTEL_TRACES_SAMPLER: values.sampler,
  OTEL_TRACES_SAMPLER_ARG: "1.0",
});

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const profileArgs = values.profile ? ["--cpu-prof", "--cpu-prof-dir=bench/profiles"] : undefined;

if (values.compare) {
  const rounds = Number(values.rounds);
  const sink = await startOtlpReceiver({ keep: false });
  const baseline = values.baseline === undefined ? undefined : resolve(values.baseline, "services/fleet/dist/main.js");
  const metrics = values.cost === "metrics";
  const onNodeArgs = values["on-node-args"]?.split(/\s+/).filter((flag) => flag !== "");
  const control = values.cost === "none" || baseline !== undefined || onNodeArgs !== undefined;
  const onEnv: Record<string, string> = control
    ? {}
    : metrics
      ? { METRICS_BEARER_TOKEN: "bench-metrics-token" }
      : tracingEnv(sink.url);
  // The fleet started second has run faster in the control; `--on-first` swaps the order to see that bias.
  const offFirst = !values["on-first"];
  const onArgs = onNodeArgs === undefined ? profileArgs : [...(profileArgs ?? []), ...onNodeArgs];
  const first = await startBenchGateway(
    ["openai"],
    offFirst ? {} : onEnv,
    offFirst ? profileArgs : onArgs,
    offFirst ? baseline : undefined,
  );
  const second = await startBenchGateway(
    ["openai"],
    offFirst ? onEnv : {},
    offFirst ? onArgs : profileArgs,
    offFirst ? undefined : baseline,
  );
  const [off, on] = offFirst ? [first, second] : [second, first];
  try {
    await prepare(off);
    await prepare(on);
    // What the "on" fleet differs by, and how.
    const { what, setup } =
      baseline !== undefined
        ? { what: "this build", setup: `off = the build in ${values.baseline}, on = this checkout's build` }
        : onNodeArgs !== undefined
          ? { what: `node ${onNodeArgs.join(" ")}`, setup: `on = the same fleet started with node ${onNodeArgs.join(" ")}` }
          : control
            ? {
                what: "nothing (two identical fleets)",
                setup: "the control: whatever differs between the two fleets is the machine",
              }
            : metrics
              ? { what: "metrics", setup: "metrics on = METRICS_BEARER_TOKEN set, /metrics mounted" }
              : { what: "tracing", setup: `tracing on = sampler ${samplerName}, OTLP to a local sink` };
    console.log(
      `proxy ${what} cost: ${connections} connections, ${durationSeconds} s per run, ${rounds} interleaved rounds, non-streaming chat completions; ${setup}`,
    );
    // A warm-up of each (JIT, pools), not measured.
    await loadGateway(off, "warm-up", 3);
    await loadGateway(on, "warm-up", 3);
    const runs: Record<"off" | "on", Measured[]> = { off: [], on: [] };
    const rows: string[][] = [];
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? (["off", "on"] as const) : (["on", "off"] as const);
      for (const which of order) {
        const measured = await loadGateway(which === "off" ? off : on, which, durationSeconds);
        runs[which].push(measured);
        rows.push([
          String(round),
          which,
          measured.result.requestsPerSecond.toFixed(0),
          measured.result.p99Ms.toFixed(1),
          (measured.cpuMsPerRequest * 1000).toFixed(0),
          String(measured.result.errors + measured.result.non2xx),
        ]);
      }
    }
    console.log(formatTable(["round", what, "req/s", "p99 ms", "fleet CPU ms/1k req", "errors"], rows));
    // Signed: "+3.0 %" is more with "on" than with "off", "-3.0 %" less.
    const change = (onOverOff: number) => `${onOverOff >= 1 ? "+" : "-"}${Math.abs((onOverOff - 1) * 100).toFixed(1)} %`;
    const rps = (which: "off" | "on") => median(runs[which].map((m) => m.result.requestsPerSecond));
    const cpu = (which: "off" | "on") => median(runs[which].map((m) => m.cpuMsPerRequest * 1000));
    console.log(
      `median req/s: off ${rps("off").toFixed(0)}, on ${rps("on").toFixed(0)} (${change(rps("on") / rps("off"))} with ${what})`,
    );
    console.log(
      `median fleet CPU per 1,000 requests: off ${cpu("off").toFixed(0)} ms, on ${cpu("on").toFixed(0)} ms (${change(cpu("on") / cpu("off"))} with ${what})`,
    );
    // Each round's two runs are next to each other in time, so their ratio is the least disturbed by other work.
    const ratio = (pick: (m: Measured) => number) => median(runs.on.map((m, i) => pick(m) / pick(runs.off[i] as Measured)));
    console.log(
      `median of the rounds' on/off ratios: req/s ${change(ratio((m) => m.result.requestsPerSecond))}, CPU per request ${change(ratio((m) => m.cpuMsPerRequest))}`,
    );
  } finally {
    await on.close();
    await off.close();
    await sink.close();
  }
} else {
  const sink = values.tracing ? await startOtlpReceiver({ keep: false }) : null;
  const gateway = await startBenchGateway(["openai"], sink === null ? {} : tracingEnv(sink.url), profileArgs);
  const upstream = gateway.fakes.openai as NonNullable<typeof gateway.fakes.openai>;
  try {
    await prepare(gateway);
    console.log(
      `proxy benchmark: ${connections} connections, ${durationSeconds} s per lane, non-streaming chat completions, tracing ${sink === null ? "off" : `on (sampler ${samplerName}, OTLP to a local sink)`}`,
    );
    // A short warm-up per lane (JIT, pools), not measured.
    const direct = {
      lane: "direct",
      url: `${upstream.baseUrl}/chat/completions`,
      headers: { ...json, authorization: `Bearer ${upstream.apiKey}` },
      body,
      connections,
    };
    await runLoad({ ...direct, durationSeconds: 2 });
    const directResult = await runLoad({ ...direct, durationSeconds });
    await loadGateway(gateway, "gateway", 2);
    // CPU the fleet process spent per request: steadier than req/s when other work shares the machine.
    const measured = await loadGateway(gateway, "gateway", durationSeconds);
    printTable([directResult, measured.result], "direct");
    console.log(`fleet process CPU per gateway request: ${measured.cpuMsPerRequest.toFixed(3)} ms`);
  } finally {
    await gateway.close();
    await sink?.close();
  }
}
