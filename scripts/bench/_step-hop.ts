/**
 * The bare proxy hop (_bare-hop.ts) plus the steps every pass-through gateway request must take, done with the
 * gateway's own libraries and nothing else around them: `--steps auth,decode,usage,audit,metrics,quota` (any
 * prefix of that list). The floor suite runs one process per prefix to price each step apart from the gateway's
 * plumbing.
 * - auth: the presented key's SHA-256 looked up in a map (keys are stored only as hashes);
 * - decode: the client's JSON parsed and validated into the canonical request (the trust boundary);
 * - usage: the upstream reply parsed and its usage read;
 * - audit: a gateway request event built and queued on a batching outbox to a JetStream stream of its own;
 * - metrics: the per-request Prometheus counters and histograms;
 * - quota: a quota decision asked over NATS of `--quota-subject` (_floor-responder.ts: one Redis script call per
 *   message, no rules), the checks of one event-loop turn in one message as the gateway's edge sends them.
 * Unary requests only. Prints `{"port":N}` when listening.
 */

import { createHash, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { jetstreamManager } from "@nats-io/jetstream";
import { connectBus, createOutbox } from "@thinkwatch/bus";
import { parseJsonBody } from "@thinkwatch/http";
import { createLogger } from "@thinkwatch/log";
import { createMetrics } from "@thinkwatch/metrics";
import { GatewayRequestCompleted, type GatewayRequestEvent } from "@thinkwatch/proto";
import { decodeRequest, readResponseUsage } from "@thinkwatch/providers";
import { Hono } from "hono";
import { Pool } from "undici";

const STEPS = ["auth", "decode", "usage", "audit", "metrics", "quota"] as const;
type Step = (typeof STEPS)[number];

const { values } = parseArgs({
  options: {
    upstream: { type: "string" },
    steps: { type: "string", default: "" },
    nats: { type: "string" },
    "quota-subject": { type: "string" },
  },
});
const steps = new Set(values.steps.split(",").filter((s) => s !== "") as Step[]);
for (const step of steps) if (!STEPS.includes(step)) throw new Error(`unknown step '${step}' (known: ${STEPS.join(", ")})`);
const upstream = new URL(values.upstream ?? "");
const pool = new Pool(upstream.origin, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 });
const basePath = upstream.pathname.replace(/\/+$/, "");

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const keyId = randomUUID();
const userId = randomUUID();
/** Any bearer token is registered on first sight: the lookup, not the registration, is what is priced. */
const keysByHash = new Map<string, { id: string; userId: string }>();

const log = createLogger({ service: "bench-step-hop", level: "warn" });
const bus =
  steps.has("audit") || steps.has("quota")
    ? await connectBus({
        url: values.nats ?? "nats://127.0.0.1:4222",
        namespace: `benchstep${process.pid}`,
        name: "bench-step-hop",
        log,
      })
    : null;
let streamName: string | null = null;
if (bus !== null && steps.has("audit")) {
  // Its own stream, bounded, deleted on exit: what the real AUDIT stream costs the publisher, without a consumer.
  const jsm = await jetstreamManager(bus.nc);
  streamName = bus.streamName("AUDIT");
  await jsm.streams.add({
    name: streamName,
    subjects: [bus.subject("audit.v1.evt.>")],
    max_bytes: 256 * 1024 * 1024,
    duplicate_window: 2 * 60 * 1e9,
  });
}
const outbox = bus === null || !steps.has("audit") ? null : createOutbox(bus, log, { batch: true });
const quotaSubject = values["quota-subject"];
if (steps.has("quota") && quotaSubject === undefined) throw new Error("the quota step needs --quota-subject");
const textEncoder = new TextEncoder();
let waitingChecks: Array<() => void> = [];
/** Resolves when the decision of this turn's message arrives (every check is allowed: the responder has no rules). */
const askQuota = () =>
  new Promise<void>((resolve) => {
    if (waitingChecks.length === 0) {
      setImmediate(() => {
        const batch = waitingChecks;
        waitingChecks = [];
        const done = () => {
          for (const settle of batch) settle();
        };
        // The bus's own request mux, as the gateway's quota client uses (no timer or Error object per request).
        (bus as NonNullable<typeof bus>)
          .requestRaw(quotaSubject as string, textEncoder.encode(`{"checks":${batch.length}}`), 2000)
          .then(done, done);
      });
    }
    waitingChecks.push(resolve);
  });
const metrics = steps.has("metrics") ? createMetrics().instruments : null;
const requestCount = metrics?.gatewayRequests.labels("openai_chat", "bench", "gpt-4o-mini", "200");
const requestDuration = metrics?.gatewayRequestDuration.labels("openai_chat", "bench", "gpt-4o-mini", "200");
const upstreamDuration = metrics?.gatewayUpstreamDuration.labels("bench", "gpt-4o-mini");
const inputTokens = metrics?.gatewayTokens.labels("bench", "gpt-4o-mini", "input", "raw");
const outputTokens = metrics?.gatewayTokens.labels("bench", "gpt-4o-mini", "output", "raw");
const cost = metrics?.gatewayCost.labels("bench", "gpt-4o-mini");

const app = new Hono();
app.post("/v1/*", async (c) => {
  const started = performance.now();
  const authorization = c.req.header("authorization") ?? "";
  if (steps.has("auth")) {
    const hash = sha256(authorization.slice("Bearer ".length));
    let key = keysByHash.get(hash);
    if (key === undefined) {
      key = { id: keyId, userId };
      keysByHash.set(hash, key);
    }
  }
  const body = new Uint8Array(await c.req.arrayBuffer());
  const model = steps.has("decode") ? decodeRequest("openai_chat", parseJsonBody(body)).model : "gpt-4o-mini";
  if (steps.has("quota")) await askQuota();
  const upstreamStarted = performance.now();
  const answer = await pool.request({
    method: "POST",
    path: basePath + c.req.path.slice("/v1".length),
    headers: { "content-type": "application/json", authorization },
    body,
  });
  const type = String(answer.headers["content-type"] ?? "application/json");
  const bytes = new Uint8Array(await answer.body.arrayBuffer());
  const usage = steps.has("usage")
    ? readResponseUsage("openai_chat", JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString()))
    : null;
  const latencyMs = performance.now() - started;
  if (outbox !== null) {
    const event: GatewayRequestEvent = {
      eventId: randomUUID(),
      occurredAt: Date.now(),
      requestId: randomUUID(),
      apiKeyId: keyId,
      userId,
      teamId: null,
      providerId: "bench",
      providerKind: "openai",
      inboundApi: "openai_chat",
      model,
      upstreamModel: model,
      stream: false,
      statusCode: answer.statusCode,
      errorCode: null,
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cachedTokens: 0,
      reasoningTokens: 0,
      latencyMs: Math.round(latencyMs),
      timeToFirstTokenMs: null,
      clientIp: "127.0.0.1",
      userAgent: c.req.header("user-agent") ?? null,
      apiKeyLineageId: keyId,
      weightedInputTokens: usage?.inputTokens ?? 0,
      weightedOutputTokens: usage?.outputTokens ?? 0,
      costUsd: 0.000_01,
      usageEstimated: false,
      traceId: null,
    };
    outbox.enqueue(GatewayRequestCompleted, event, event.eventId);
  }
  if (metrics !== null) {
    requestCount?.inc();
    requestDuration?.observe(latencyMs / 1000);
    upstreamDuration?.observe((performance.now() - upstreamStarted) / 1000);
    inputTokens?.inc(usage?.inputTokens ?? 0);
    outputTokens?.inc(usage?.outputTokens ?? 0);
    cost?.inc(0.000_01);
  }
  return c.body(bytes, answer.statusCode as 200, { "content-type": type });
});

const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
  console.log(JSON.stringify({ port: info.port }));
});
process.on("SIGTERM", () => {
  server.close();
  void (async () => {
    await outbox?.flush(2000);
    if (bus !== null) {
      if (streamName !== null) await (await jetstreamManager(bus.nc)).streams.delete(streamName).catch(() => undefined);
      await bus.close(2000);
    }
    await pool.close();
    process.exit(0);
  })();
});
