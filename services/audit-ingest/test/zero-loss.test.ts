/**
 * Zero loss under every failure at once: 5,000 gateway events published while audit-ingest is SIGKILLed twice, the
 * test's own ClickHouse is killed for 10 s, and the webhook answers 500 for 10 s → ClickHouse holds exactly 5,000
 * distinct events (one row each), the webhook got every event at least once, and the syslog channel kept up while
 * the webhook was failing. Most events travel batched (several per JetStream message), as the gateway sends them.
 */
import { randomUUID } from "node:crypto";
import { type Bus, connectBus, createOutbox, ensureStream, publishEvent } from "@thinkwatch/bus";
import { createClickHouse } from "@thinkwatch/clickhouse";
import { createLogger } from "@thinkwatch/log";
import { GatewayRequestCompleted, type GatewayRequestEvent, STREAMS } from "@thinkwatch/proto";
import {
  createConsoleClient,
  createTestEnvironment,
  type FleetProcess,
  type OwnClickHouse,
  type RsyslogReceiver,
  startFleetProcess,
  startOwnClickHouse,
  startRsyslog,
  startWebhookReceiver,
  type TestEnvironment,
  type WebhookReceiver,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const TOTAL = 5000;

let testEnv: TestEnvironment;
let clickhouse: OwnClickHouse;
let webhook: WebhookReceiver;
let rsyslog: RsyslogReceiver;
let ingest: FleetProcess;
let rest: FleetProcess;
let bus: Bus;
let env: Record<string, string>;

function event(n: number): GatewayRequestEvent {
  return {
    eventId: randomUUID(),
    occurredAt: Date.now(),
    requestId: `zl-${n}`,
    apiKeyId: randomUUID(),
    userId: randomUUID(),
    teamId: null,
    providerId: "p1",
    providerKind: "openai",
    inboundApi: "openai_chat",
    model: "gpt-4o-mini",
    upstreamModel: "gpt-4o-mini",
    stream: false,
    statusCode: 200,
    errorCode: null,
    inputTokens: 1,
    outputTokens: 1,
    cachedTokens: 0,
    reasoningTokens: 0,
    latencyMs: 1,
    timeToFirstTokenMs: null,
    clientIp: null,
    userAgent: null,
  };
}

const startIngest = () =>
  startFleetProcess({ env: { ...env, AUDIT_BATCH_MAX: "200", AUDIT_BATCH_WAIT_MS: "50" }, services: ["audit-ingest"] });

beforeAll(async () => {
  [testEnv, clickhouse, webhook, rsyslog] = await Promise.all([
    createTestEnvironment(),
    startOwnClickHouse(),
    startWebhookReceiver(),
    startRsyslog(),
  ]);
  env = { ...testEnv.env, CLICKHOUSE_URL: clickhouse.url };
  const created = await fetch(clickhouse.url, { method: "POST", body: `CREATE DATABASE ${env.CLICKHOUSE_DB}` });
  expect(created.ok).toBe(true);
  ingest = await startIngest();
  rest = await startFleetProcess({ env, services: ["key-service", "admin-api", "forwarder"] });
  const admin = createConsoleClient(rest.consoleUrl);
  await admin.initialize();
  for (const body of [
    { name: "hook", kind: "webhook", settings: { url: webhook.url }, eventKinds: ["gateway"] },
    {
      name: "syslog",
      kind: "syslog",
      settings: { host: "127.0.0.1", port: rsyslog.tcpPort, protocol: "tcp" },
      eventKinds: ["gateway"],
    },
  ]) {
    const res = await admin.call("POST", "/api/admin/log-forwarders", body);
    expect(res.status).toBe(201);
  }
  bus = await connectBus({
    url: env.NATS_URL as string,
    namespace: testEnv.id,
    name: "zero-loss",
    log: createLogger({ service: "test", level: "silent" }),
  });
  await ensureStream(bus, STREAMS.audit);
}, 180_000);

afterAll(async () => {
  await bus?.close(1000);
  await ingest?.kill();
  await rest?.stop();
  await Promise.all([clickhouse?.close(), webhook?.close(), rsyslog?.close()]);
  await testEnv?.cleanup();
});

/**
 * The first 1,000 events one message each; the rest the way the gateway sends them now: through a batching outbox,
 * the events of one tick as messages of up to 50 (so crashes and outages hit half-written batches too).
 */
async function publishRange(from: number, to: number): Promise<void> {
  const outbox = createOutbox(bus, createLogger({ service: "test", level: "silent" }), { batch: true, maxBatchEvents: 50 });
  for (let start = from; start < to; start += 250) {
    const events = Array.from({ length: Math.min(250, to - start) }, (_, i) => event(start + i));
    if (start < 1000) {
      await Promise.all(events.map((e) => publishEvent(bus, GatewayRequestCompleted, e, e.eventId)));
      continue;
    }
    for (const e of events) outbox.enqueue(GatewayRequestCompleted, e, e.eventId);
    await outbox.flush(60_000);
    if (outbox.pending() > 0) throw new Error("the outbox could not publish the events");
  }
}

const syslogIds = () => new Set(rsyslog.received().map((m) => /eventId="([^"]+)"/.exec(m["structured-data"])?.[1] ?? ""));
const webhookIds = () => new Set(webhook.received.map((r) => (r.body as { eventId: string }).eventId));

describe("zero loss", () => {
  it("stores exactly 5,000 events and delivers each through crashes, a ClickHouse outage and a failing webhook", async () => {
    await publishRange(0, 1000);
    await ingest.kill();
    ingest = await startIngest();
    await publishRange(1000, 2000);

    // Both outages at once, for 10 s.
    webhook.failNext(1_000_000_000, 500);
    await clickhouse.stop();
    const outageStarted = Date.now();
    await publishRange(2000, 3500);
    // The syslog channel is not held back by the failing webhook (nor by ClickHouse).
    await waitFor(() => syslogIds().size >= 3500, { what: "3,500 events at syslog during the outages", timeoutMs: 9_000 });
    expect(Date.now() - outageStarted).toBeLessThan(10_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - outageStarted))));
    await clickhouse.start();
    webhook.failNext(0);

    await ingest.kill();
    ingest = await startIngest();
    await publishRange(3500, TOTAL);

    const reader = createClickHouse({ url: clickhouse.url, database: env.CLICKHOUSE_DB as string });
    try {
      const counts = await waitFor(
        async () => {
          const [row] = await reader.query<{ rows: string; ids: string }>(
            "SELECT count() AS rows, uniqExact(event_id) AS ids FROM gateway_logs",
          );
          return Number(row?.ids) >= TOTAL ? { rows: Number(row?.rows), ids: Number(row?.ids) } : null;
        },
        { what: "5,000 distinct events in ClickHouse", timeoutMs: 120_000, intervalMs: 500 },
      );
      expect(counts).toEqual({ rows: TOTAL, ids: TOTAL });
    } finally {
      await reader.close();
    }
    await waitFor(() => webhookIds().size >= TOTAL, { what: "every event at the webhook", timeoutMs: 120_000, intervalMs: 500 });
    expect(webhookIds().size).toBe(TOTAL);
    await waitFor(() => syslogIds().size >= TOTAL, { what: "every event at syslog", timeoutMs: 60_000 });
  }, 400_000);
});
