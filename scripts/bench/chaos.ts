/**
 * `npm run bench -- chaos [--seconds 30] [--connections 20]`: a model served by two routes (weights 1:1) under
 * non-streaming load, first with both upstreams healthy, then while route A fails 50 % of its requests (HTTP 503).
 * Prints the share of client requests that failed in each phase and the p99 latency the failures added (retries,
 * fallbacks and breaker flaps are what absorb them), says whether the goal — not one failed non-streaming client
 * request while route A fails — was met, and records all of it as the `chaos` section of bench/RESULTS.md.
 */
import { parseArgs } from "node:util";
import { startFakeUpstream, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import { runLoad } from "./_load.js";
import { writeResultsSection } from "./_results.js";
import { formatTable } from "./_table.js";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "30" }, connections: { type: "string", default: "20" } },
});
const durationSeconds = Number(values.seconds);
const connections = Number(values.connections);

const scenario = await startGatewayScenario({ env: { LOG_LEVEL: "error" } });
const [a, b] = await Promise.all([
  startFakeUpstream({ kind: "openai", record: false }),
  startFakeUpstream({ kind: "openai", record: false }),
]);
try {
  const provider = async (name: string, fake: typeof a) =>
    (
      await scenario.admin.call<{ provider: { id: string } }>("POST", "/api/admin/providers", {
        name,
        kind: "openai",
        baseUrl: fake.baseUrl,
        apiKey: fake.apiKey,
      })
    ).body.provider.id;
  const routes = [
    { providerId: await provider("route-a", a), upstreamModel: "gpt-4o-mini", weight: 1 },
    { providerId: await provider("route-b", b), upstreamModel: "gpt-4o-mini", weight: 1 },
  ];
  const created = await scenario.admin.call("POST", "/api/admin/models", { model: "chaos", routes });
  if (created.status !== 201) throw new Error(`model refused: ${JSON.stringify(created.body)}`);
  const key = await scenario.createKey({ name: "chaos" });
  const url = `${scenario.fleet.gatewayUrl}/v1/chat/completions`;
  const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };
  const body = JSON.stringify({ model: "chaos", messages: [{ role: "user", content: "chaos" }] });
  await waitFor(async () => (await fetch(url, { method: "POST", headers, body })).ok, { what: "the model to be routable" });

  const load = (lane: string) => runLoad({ lane, url, headers, body, connections, durationSeconds });
  await runLoad({ lane: "warm-up", url, headers, body, connections, durationSeconds: 2 });
  console.log(`chaos benchmark: ${connections} connections, ${durationSeconds} s per phase, non-streaming, routes A and B 1:1`);
  const healthy = await load("both routes healthy");
  a.faultRate(0.5, { error: { status: 503, message: "chaos" } });
  const chaos = await load("route A fails 50 %");
  a.faultRate(0);

  const failedOf = (r: typeof healthy) => r.errors + r.non2xx;
  const rows = [healthy, chaos].map((r) => {
    const total = r.requests + r.errors;
    const failed = failedOf(r);
    return [
      r.lane,
      r.requestsPerSecond.toFixed(0),
      String(Math.round(total)),
      String(failed),
      `${((failed / Math.max(1, total)) * 100).toFixed(3)}%`,
      r.p50Ms.toFixed(1),
      r.p99Ms.toFixed(1),
    ];
  });
  const header = ["phase", "req/s", "requests", "failed", "failed share", "p50 ms", "p99 ms"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const addedP99 = `added p99 while route A fails 50 %: ${(chaos.p99Ms - healthy.p99Ms).toFixed(1)} ms`;
  const failedInChaos = failedOf(chaos);
  const goal =
    failedInChaos === 0
      ? "goal met: no non-streaming client request failed while route A failed 50 % of its requests"
      : `goal NOT met: ${failedInChaos} non-streaming client request(s) failed while route A failed 50 % of its requests (goal: 0)`;
  console.log(addedP99);
  console.log(goal);
  await writeResultsSection(
    "chaos",
    `npm run bench -- chaos ${process.argv.slice(2).join(" ")}`.trim(),
    [
      `A model served by two routes (weights 1:1, default gateway settings: retries, fallback, breakers) under non-streaming load from ${connections} connections, ${durationSeconds} s per phase: both upstreams healthy, then route A answering 50 % of its requests with HTTP 503. Failed: connection errors, timeouts and non-2xx answers the clients saw. The load generator, the fleet and both fake upstreams share the machine.`,
      "",
      formatTable(header, rows),
      "",
      `- ${addedP99}`,
      `- **${goal}**`,
    ].join("\n"),
  );
} finally {
  await scenario.close();
  await Promise.all([a.close(), b.close()]);
}
