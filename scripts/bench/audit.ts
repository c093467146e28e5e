/**
 * `npm run bench -- audit [--events 60000] [--rate 25000]`: the audit pipeline alone — gateway events published to
 * JetStream at a steady rate (in 100 ms ticks) and written by an audit-ingest process to ClickHouse. Prints the
 * throughput from the first publish to the ClickHouse commit of the last event, and the end-to-end lag per tick
 * (publish of the tick's first event → its last event visible in ClickHouse): p50/p99/max.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { connectBus, ensureStream, publishEvent } from "@thinkwatch/bus";
import { createClickHouse } from "@thinkwatch/clickhouse";
import { createLogger } from "@thinkwatch/log";
import { GatewayRequestCompleted, type GatewayRequestEvent, STREAMS } from "@thinkwatch/proto";
import { createTestEnvironment, startFleetProcess } from "@thinkwatch/testkit";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "60000" },
    rate: { type: "string", default: "25000" },
    batch: { type: "string", default: "5000" },
  },
});
const total = Number(values.events);
const rate = Number(values.rate);
const TICK_MS = 100;
const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));

const testEnv = await createTestEnvironment({ clickhouse: true, migrate: false });
const ingest = await startFleetProcess({
  env: { ...testEnv.env, LOG_LEVEL: "warn", AUDIT_BATCH_MAX: values.batch as string, AUDIT_BATCH_WAIT_MS: "100" },
  services: ["audit-ingest"],
});
const log = createLogger({ level: "warn", service: "bench" });
const bus = await connectBus({ url: testEnv.env.NATS_URL as string, namespace: testEnv.id, name: "bench-audit", log });
const clickhouse = createClickHouse({ url: testEnv.env.CLICKHOUSE_URL as string, database: testEnv.env.CLICKHOUSE_DB as string });

function event(tick: number): GatewayRequestEvent {
  return {
    eventId: randomUUID(),
    occurredAt: Date.now(),
    requestId: `tick-${tick}`,
    apiKeyId: "0b6a3f7e-2d41-4c8e-b1a9-5e7f3c2d1a00",
    userId: "1c7b4e8f-3e52-4d9f-a2ba-6f8e4d3c2b11",
    teamId: null,
    providerId: "openai",
    providerKind: "openai",
    inboundApi: "openai_chat",
    model: "gpt-4o-mini",
    upstreamModel: "gpt-4o-mini",
    stream: false,
    statusCode: 200,
    errorCode: null,
    inputTokens: 12,
    outputTokens: 34,
    cachedTokens: 0,
    reasoningTokens: 0,
    latencyMs: 123,
    timeToFirstTokenMs: null,
    clientIp: "127.0.0.1",
    userAgent: "bench/1",
  };
}

try {
  await ensureStream(bus, STREAMS.audit);
  const ticks = Math.ceil(total / perTick);
  const sentAt: number[] = [];
  const sizes: number[] = [];
  const landedAt = new Map<number, number>();
  let publishing = true;

  // Poll per-tick counts while publishing; a tick has landed when all its events are visible.
  const poller = (async () => {
    while (publishing || landedAt.size < ticks) {
      // A failed poll (the shared server dropping an idle keep-alive socket) is just retried on the next tick.
      const rows = await clickhouse
        .query<{ request_id: string; n: string }>("SELECT request_id, count() AS n FROM gateway_logs GROUP BY request_id")
        .catch(() => []);
      const now = Date.now();
      for (const row of rows) {
        const tick = Number(row.request_id.slice(5));
        if (!landedAt.has(tick) && Number(row.n) >= (sizes[tick] ?? Number.POSITIVE_INFINITY)) landedAt.set(tick, now);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();

  const started = Date.now();
  for (let tick = 0; tick < ticks; tick++) {
    const due = started + tick * TICK_MS;
    if (Date.now() < due) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const size = Math.min(perTick, total - tick * perTick);
    sizes[tick] = size;
    sentAt[tick] = Date.now();
    const publishes: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const e = event(tick);
      publishes.push(publishEvent(bus, GatewayRequestCompleted, e, e.eventId));
    }
    await Promise.all(publishes);
  }
  const published = Date.now();
  publishing = false;
  await Promise.race([
    poller,
    new Promise((_, reject) => setTimeout(() => reject(new Error("events did not all land within 120 s")), 120_000)),
  ]);
  const lastLanded = Math.max(...landedAt.values());
  const lags = [...landedAt.entries()].map(([tick, at]) => at - (sentAt[tick] as number)).sort((a, b) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))] as number;
  const [check] = await clickhouse.query<{ rows: string; ids: string }>(
    "SELECT count() AS rows, uniqExact(event_id) AS ids FROM gateway_logs",
  );
  console.log(`audit pipeline: ${total} gateway events offered at ${rate}/s (ticks of ${perTick} every ${TICK_MS} ms)`);
  console.log(`  publish rate achieved:        ${Math.round(total / ((published - started) / 1000))} events/s`);
  console.log(`  publish → ClickHouse commit:  ${Math.round(total / ((lastLanded - started) / 1000))} events/s`);
  console.log(`  end-to-end lag per tick (ms): p50 ${pct(50)}  p99 ${pct(99)}  max ${lags.at(-1)}`);
  console.log(`  rows in ClickHouse: ${check?.rows} (distinct events ${check?.ids})`);
} finally {
  await bus.close(2000);
  await clickhouse.close();
  await ingest.stop();
  await testEnv.cleanup();
}
