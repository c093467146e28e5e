/**
 * `npm run bench -- proxy [--connections 50] [--duration 10] [--tracing]`: the same chat-completion load sent (a)
 * straight to a fake OpenAI upstream and (b) through ai-proxy with auth, quota and audit on (the whole fleet in one
 * process, as `npm start` runs it), in one run, so the ratio is visible. `--tracing` turns OpenTelemetry on with
 * sampling 1.0, exporting OTLP/HTTP to a local sink that discards what it gets.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startOtlpReceiver, waitFor } from "@thinkwatch/testkit";
import { startBenchGateway } from "./_gateway.js";
import { printTable, runLoad } from "./_load.js";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "10" },
    tracing: { type: "boolean", default: false },
  },
});
const connections = Number(values.connections);

/** User + system CPU time of a process so far (Linux /proc, clock ticks of 10 ms). */
function fleetCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
const durationSeconds = Number(values.duration);

const sink = values.tracing ? await startOtlpReceiver({ keep: false }) : null;
const gateway = await startBenchGateway(
  ["openai"],
  sink === null
    ? {}
    : { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "1.0" },
);
const { fleet, admin, key } = gateway;
const upstream = gateway.fakes.openai as NonNullable<typeof gateway.fakes.openai>;
try {
  // A generous limit, so the quota check runs its Lua script on every request instead of short-circuiting.
  const keyId = (await admin.call<{ keys: Array<{ id: string }> }>("GET", "/api/keys")).body.keys[0]?.id;
  await admin.call("PUT", `/api/admin/limits/api_key/${keyId}/rules`, {
    rules: [{ surface: "ai_gateway", metric: "requests", windowSeconds: 60, limit: 100_000_000 }],
  });
  const body = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "benchmark me" }] });
  const headers = { "content-type": "application/json" };
  await waitFor(
    async () =>
      (
        await fetch(`${fleet.gatewayUrl}/v1/chat/completions`, {
          method: "POST",
          headers: { ...headers, authorization: `Bearer ${key}` },
          body,
        })
      ).ok,
    { what: "the provider to be routable" },
  );

  console.log(
    `proxy benchmark: ${connections} connections, ${durationSeconds} s per lane, non-streaming chat completions, tracing ${sink === null ? "off" : "on (sampling 1.0, OTLP to a local sink)"}`,
  );
  const results = [];
  let fleetCpuPerRequest = Number.NaN;
  for (const lane of ["direct", "gateway"] as const) {
    const url = lane === "direct" ? `${upstream.baseUrl}/chat/completions` : `${fleet.gatewayUrl}/v1/chat/completions`;
    const authorization = `Bearer ${lane === "direct" ? upstream.apiKey : key}`;
    // A short warm-up per lane (JIT, pools), not measured.
    await runLoad({ lane, url, headers: { ...headers, authorization }, body, connections, durationSeconds: 2 });
    const cpuBefore = fleetCpuMs(fleet.process.pid);
    const result = await runLoad({ lane, url, headers: { ...headers, authorization }, body, connections, durationSeconds });
    results.push(result);
    // CPU the fleet process spent per request: steadier than req/s when other work shares the machine.
    if (lane === "gateway")
      fleetCpuPerRequest = (fleetCpuMs(fleet.process.pid) - cpuBefore) / (result.requestsPerSecond * durationSeconds);
  }
  printTable(results, "direct");
  console.log(`fleet process CPU per gateway request: ${fleetCpuPerRequest.toFixed(3)} ms`);
} finally {
  await gateway.close();
  await sink?.close();
}
