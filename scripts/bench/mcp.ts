/**
 * `npm run bench -- mcp [--clients 16] [--duration 10]`: tools/call per second and latency through the gateway's
 * aggregated /mcp (auth, session, routing by exposed name, audit event per call) beside the same upstream called
 * directly, in one run. Each client is the official MCP SDK client over Streamable HTTP, calling in a loop; the
 * upstream is the SDK-written conformance fixture's `test_simple_text` tool.
 */
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startConformanceFixture, startGatewayScenario } from "@thinkwatch/testkit";

const { values } = parseArgs({
  options: { clients: { type: "string", default: "16" }, duration: { type: "string", default: "10" } },
});
const clients = Number(values.clients);
const durationSeconds = Number(values.duration);

interface LaneResult {
  lane: string;
  calls: number;
  errors: number;
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function runLane(
  lane: string,
  url: string,
  tool: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<LaneResult> {
  const connected = await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new Client({ name: "bench", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
      return client;
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    connected.map(async (client) => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        try {
          await client.callTool({ name: tool, arguments: {} });
          latencies.push(performance.now() - begin);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(connected.map((client) => client.close()));
  latencies.sort((a, b) => a - b);
  return {
    lane,
    calls: latencies.length,
    errors,
    callsPerSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

const fixture = await startConformanceFixture();
const scenario = await startGatewayScenario({ env: { LOG_LEVEL: "warn" } });
try {
  const created = await scenario.admin.call("POST", "/api/mcp/servers", {
    name: "bench",
    transport: "streamable_http",
    url: fixture.url,
  });
  if (created.status !== 201) throw new Error(`cannot register the upstream: ${JSON.stringify(created.body)}`);
  const key = await scenario.createKey({ name: "bench" });
  const lanes = [
    { lane: "direct", url: fixture.url, tool: "test_simple_text", headers: {} as Record<string, string> },
    {
      lane: "gateway",
      url: `${scenario.fleet.mcpUrl}/mcp`,
      tool: "bench__test_simple_text",
      headers: { authorization: `Bearer ${key}` },
    },
  ];
  console.log(`mcp benchmark: ${clients} SDK clients, ${durationSeconds} s per lane, tools/call of a trivial tool`);
  const results: LaneResult[] = [];
  for (const lane of lanes) {
    await runLane(lane.lane, lane.url, lane.tool, lane.headers, 2); // warm-up, not measured
    results.push(await runLane(lane.lane, lane.url, lane.tool, lane.headers, durationSeconds));
  }
  const direct = results[0] as LaneResult;
  console.log(["lane", "calls/s", "p50 ms", "p99 ms", "vs direct", "errors"].map((h) => h.padEnd(10)).join(""));
  for (const r of results) {
    const ratio = r === direct ? "" : `${((r.callsPerSecond / direct.callsPerSecond) * 100).toFixed(1)}%`;
    console.log(
      [r.lane, r.callsPerSecond.toFixed(0), r.p50Ms.toFixed(2), r.p99Ms.toFixed(2), ratio, String(r.errors)]
        .map((c) => c.padEnd(10))
        .join(""),
    );
  }
} finally {
  await scenario.close();
  await fixture.close();
}
