/**
 * forwarder transports against real peers: a real rsyslog parses our RFC 5424 over UDP and TCP back to the event;
 * a Kafka consumer reads every event from librdkafka's mock cluster; a webhook receiver verifies every HMAC
 * signature; a 4xx goes to the dead letters with the reason; the per-channel kind filter; a failing webhook does
 * not hold back a syslog channel; per-channel counters reach the stats bucket.
 */
import { createHmac, randomUUID } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { type Bus, connectBus, decodeJson, ensureStream, openConfigStore, publishEvent } from "@thinkwatch/bus";
import { createKeyring } from "@thinkwatch/crypto";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import { createLogger } from "@thinkwatch/log";
import {
  type AuditRecord,
  auditRecordContract,
  CONFIG_KEYS,
  DeadLetterSchema,
  GatewayRequestCompleted,
  type GatewayRequestEvent,
  KV_BUCKETS,
  type LogChannel,
  STREAMS,
} from "@thinkwatch/proto";
import {
  createTestEnvironment,
  freePort,
  type KafkaMockCluster,
  type RsyslogReceiver,
  startKafkaMockCluster,
  startRsyslog,
  startWebhookReceiver,
  TEST_SECRETS,
  type TestEnvironment,
  type WebhookReceiver,
  waitFor,
} from "@thinkwatch/testkit";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forwarderService } from "../src/service.js";

let testEnv: TestEnvironment;
let fleet: Fleet;
let bus: Bus;
let rsyslog: RsyslogReceiver;
let kafka: KafkaMockCluster;
let webhook: WebhookReceiver;
let refusing: WebhookReceiver;
const channels: LogChannel[] = [];
const SECRET = "whsec-test-0123456789";

function gatewayEvent(n: number, model = "gpt-4o-mini"): GatewayRequestEvent {
  return {
    eventId: randomUUID(),
    occurredAt: Date.now(),
    requestId: `req-${n}`,
    apiKeyId: randomUUID(),
    userId: randomUUID(),
    teamId: null,
    providerId: "p1",
    providerKind: "openai",
    inboundApi: "openai_chat",
    model,
    upstreamModel: model,
    stream: false,
    statusCode: 200,
    errorCode: null,
    inputTokens: n,
    outputTokens: 1,
    cachedTokens: 0,
    reasoningTokens: 0,
    latencyMs: 3,
    timeToFirstTokenMs: 3,
    clientIp: "127.0.0.1",
    userAgent: "test",
  };
}

function adminRecord(): AuditRecord {
  return {
    eventId: randomUUID(),
    occurredAt: Date.now(),
    traceId: null,
    requestId: null,
    category: "admin",
    action: "provider.updated",
    actor: { kind: "user", id: randomUUID(), name: "admin@example.com", ip: "127.0.0.1", userAgent: null },
    target: { kind: "provider", id: "p1", name: "openai" },
    outcome: "success",
    teamId: null,
    details: {},
    before: { name: "a" },
    after: { name: "b" },
  };
}

function channel(
  name: string,
  kind: LogChannel["kind"],
  settings: Record<string, unknown>,
  eventKinds: string[] = [],
): LogChannel {
  return { id: randomUUID(), name, kind, enabled: true, createdAt: Date.now() - 1000, settings, eventKinds };
}

async function applyChannels(): Promise<void> {
  const store = await openConfigStore(bus, createLogger({ service: "test", level: "silent" }));
  await store.put(CONFIG_KEYS.logChannels, { revision: Date.now(), channels });
}

beforeAll(async () => {
  testEnv = await createTestEnvironment({ migrate: false });
  [rsyslog, kafka, webhook, refusing] = await Promise.all([
    startRsyslog(),
    startKafkaMockCluster(),
    startWebhookReceiver(),
    startWebhookReceiver(),
  ]);
  fleet = await startFleet({ services: [forwarderService], env: { ...testEnv.env, HEALTH_PORT: String(await freePort()) } });
  bus = await connectBus({
    url: testEnv.env.NATS_URL as string,
    namespace: testEnv.id,
    name: "test",
    log: createLogger({ service: "test", level: "silent" }),
  });
  await ensureStream(bus, STREAMS.audit);
  const keyring = createKeyring(TEST_SECRETS.ENCRYPTION_KEY);
  channels.push(
    channel("syslog-udp", "syslog", { host: "127.0.0.1", port: rsyslog.udpPort, protocol: "udp" }),
    channel("syslog-tcp", "syslog", { host: "127.0.0.1", port: rsyslog.tcpPort, protocol: "tcp" }),
    channel("kafka", "kafka", { brokers: kafka.brokers, topic: "thinkwatch-audit" }),
    channel(
      "siem-hook",
      "webhook",
      { url: webhook.url, headers: { "x-siem-token": "t0k" }, secretEncrypted: keyring.encrypt(SECRET) },
      ["gateway"],
    ),
    channel("refusing-hook", "webhook", { url: refusing.url }, ["admin"]),
  );
  await applyChannels();
}, 120_000);

afterAll(async () => {
  await bus?.close(1000);
  await fleet?.stop("test done");
  await Promise.all([rsyslog?.close(), kafka?.close(), webhook?.close(), refusing?.close()]);
  await testEnv?.cleanup();
});

describe("log channels", () => {
  const events = [gatewayEvent(1), gatewayEvent(2, 'a"b]c\\d\ud800'), gatewayEvent(3)];
  const record = adminRecord();

  it("syslog: rsyslog parses RFC 5424 from UDP and TCP back to the event, structured data escaped", async () => {
    refusing.failNext(1, 400);
    for (const e of events) await publishEvent(bus, GatewayRequestCompleted, e, e.eventId);
    await publishEvent(bus, auditRecordContract(record.action), record, record.eventId);

    const received = await waitFor(() => (rsyslog.received().length >= 8 ? rsyslog.received() : null), {
      what: "4 events on each syslog input",
      timeoutMs: 20_000,
    });
    for (const input of ["imudp", "imtcp"]) {
      const mine = received.filter((m) => m.inputname === input);
      expect(mine).toHaveLength(4);
      for (const [index, e] of events.entries()) {
        const m = mine.find((x) => x["structured-data"].includes(`eventId="${e.eventId}"`));
        expect(m, `event ${index} on ${input}`).toBeDefined();
        expect(m).toMatchObject({
          "protocol-version": "1",
          "app-name": "thinkwatch",
          msgid: "gateway_request.completed",
          syslogfacility: "13",
          syslogseverity: "6",
          procid: String(process.pid),
        });
        const body = JSON.parse((m?.msg ?? "").replace(/^\ufeff/, "")) as { eventId: string; event: { requestId: string } };
        expect(body.eventId).toBe(e.eventId);
        expect(body.event.requestId).toBe(e.requestId);
      }
      const tricky = mine.find((x) => x["structured-data"].includes(events[1]?.eventId as string));
      expect(tricky?.["structured-data"]).toContain('model="a\\"b\\]c\\\\d\ufffd"');
      const admin = mine.find((x) => x.msgid === "provider.updated");
      expect(admin?.["structured-data"]).toContain('actorName="admin@example.com"');
    }
  }, 60_000);

  it("Kafka: a consumer reads every event from the mock cluster, keyed by subject", async () => {
    const messages = await kafka.readTopic("thinkwatch-audit", 4);
    expect(messages).toHaveLength(4);
    const bodies = messages.map((m) => JSON.parse(String(m.value)) as { eventId: string; event: { userId?: string } });
    expect(new Set(bodies.map((b) => b.eventId))).toEqual(new Set([...events.map((e) => e.eventId), record.eventId]));
    for (const [i, m] of messages.entries()) {
      const body = bodies[i] as { eventId: string; event: { userId?: string } };
      expect(String(m.key)).toBe(body.event.userId ?? record.actor.id);
    }
  }, 60_000);

  it("webhook: only the channel's kinds, custom headers, every signature verifies", async () => {
    await waitFor(() => webhook.received.length >= 3, { what: "3 gateway events at the webhook" });
    expect(webhook.received.map((r) => (r.body as { eventId: string }).eventId).sort()).toEqual(
      events.map((e) => e.eventId).sort(),
    );
    for (const delivery of webhook.received) {
      expect(delivery.headers["x-siem-token"]).toBe("t0k");
      const signature = String(delivery.headers["x-thinkwatch-signature"]);
      const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
      expect(match).not.toBeNull();
      const expected = createHmac("sha256", SECRET).update(`${match?.[1]}.${delivery.raw}`).digest("hex");
      expect(match?.[2]).toBe(expected);
    }
  });

  it("webhook: a 4xx answer is never retried; the event goes to the dead letters with the reason", async () => {
    const nc = bus.nc;
    const jsm = await jetstreamManager(nc);
    const stream = bus.streamName(STREAMS.deadLetter.name);
    const letter = await waitFor(
      async () => {
        const info = await jsm.streams.info(stream).catch(() => null);
        if (info === null || info.state.messages < 1) return null;
        return v.parse(DeadLetterSchema, (await jsm.streams.getMessage(stream, { seq: info.state.first_seq }))?.json());
      },
      { what: "a dead letter from the refusing webhook" },
    );
    const refusingChannel = channels.find((c) => c.name === "refusing-hook") as LogChannel;
    expect(letter).toMatchObject({
      consumer: `forwarder-${refusingChannel.id}`,
      subject: "audit.v1.evt.provider.updated",
      eventId: null,
      deliveryCount: 1,
      reason: "webhook refusing-hook answered HTTP 400",
    });
    expect(JSON.parse(letter.payload).eventId).toBe(record.eventId);
    expect(refusing.received).toHaveLength(0);
  });

  it("a failing webhook does not hold back syslog, and the webhook gets every event once it recovers", async () => {
    webhook.failNext(1_000_000, 500);
    const before = rsyslog.received().filter((m) => m.inputname === "imtcp").length;
    const burst = Array.from({ length: 20 }, (_, i) => gatewayEvent(100 + i));
    const started = Date.now();
    for (const e of burst) await publishEvent(bus, GatewayRequestCompleted, e, e.eventId);
    await waitFor(() => rsyslog.received().filter((m) => m.inputname === "imtcp").length >= before + 20, {
      what: "the burst at the TCP syslog channel while the webhook fails",
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(webhook.received.length).toBe(3);
    webhook.failNext(0);
    await waitFor(() => webhook.received.length >= 23, {
      what: "the burst at the webhook after it recovered",
      timeoutMs: 90_000,
    });
    const ids = new Set(webhook.received.map((r) => (r.body as { eventId: string }).eventId));
    expect(burst.every((e) => ids.has(e.eventId))).toBe(true);
  }, 120_000);

  it("counts sent, failed and dead-lettered deliveries per channel in the stats bucket", async () => {
    const kv = await new Kvm(bus.nc).open(bus.bucketName(KV_BUCKETS.forwarderStats));
    const sum = async (channelId: string) => {
      const total = { sent: 0, failed: 0, deadLettered: 0 };
      for await (const key of await kv.keys(`${channelId}.*`)) {
        const entry = await kv.get(key);
        const value = decodeJson(entry?.value ?? new Uint8Array()) as typeof total;
        total.sent += value.sent;
        total.failed += value.failed;
        total.deadLettered += value.deadLettered;
      }
      return total;
    };
    const byName = (name: string) => (channels.find((c) => c.name === name) as LogChannel).id;
    await waitFor(async () => (await sum(byName("siem-hook"))).sent >= 23, { what: "webhook counters" });
    const hook = await sum(byName("siem-hook"));
    expect(hook.failed).toBeGreaterThan(0);
    expect(hook.deadLettered).toBe(0);
    expect(await sum(byName("refusing-hook"))).toMatchObject({ deadLettered: 1 });
    await waitFor(async () => (await sum(byName("syslog-tcp"))).sent >= 24, { what: "syslog counters" });
  });
});
