/**
 * The circuit breaker is shared by ai-proxy replicas: two ai-proxy processes (plus one process with the rest of the
 * fleet) in front of one failing upstream. Failures through replica A open the breaker; replica B then refuses
 * without calling the upstream; after the recovery period one probe (and only one) goes through, its success
 * closes the breaker for both. Every transition is published once as an audit record.
 */
import { type Bus, connectBus } from "@thinkwatch/bus";
import { createLogger } from "@thinkwatch/log";
import { type AuditRecord, auditRecordContract } from "@thinkwatch/proto";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  type FakeUpstream,
  type FleetProcess,
  startFakeUpstream,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addFakeProvider, chat, createModel, putGatewaySettings, waitForRetrySetting } from "./support/routing-admin.js";

const SETTINGS = {
  retryMaxAttempts: 4,
  retryBaseDelayMs: 20,
  retryMaxDelayMs: 50,
  breakerFailureThreshold: 3,
  breakerErrorRatePct: 50,
  breakerWindowSeconds: 60,
  // Longer than the slow probe below takes even on a loaded machine: a probe older than this counts as lost.
  breakerRecoverySeconds: 5,
  breakerHalfOpenProbes: 1,
};

let testEnv: TestEnvironment;
let rest: FleetProcess;
let proxyA: FleetProcess;
let proxyB: FleetProcess;
let admin: ConsoleClient;
let fake: FakeUpstream;
let probe: FakeUpstream;
let bus: Bus;
let key: string;
const events: AuditRecord[] = [];

beforeAll(async () => {
  testEnv = await createTestEnvironment({ clickhouse: true });
  [fake, probe] = await Promise.all([startFakeUpstream("openai"), startFakeUpstream("openai")]);
  rest = await startFleetProcess({ env: testEnv.env, services: ["key-service", "quota", "audit-ingest", "admin-api"] });
  [proxyA, proxyB] = await Promise.all([
    startFleetProcess({ env: testEnv.env, services: ["ai-proxy"] }),
    startFleetProcess({ env: testEnv.env, services: ["ai-proxy"] }),
  ]);
  admin = createConsoleClient(rest.consoleUrl);
  await admin.initialize();
  bus = await connectBus({
    url: testEnv.env.NATS_URL as string,
    namespace: testEnv.id,
    name: "breaker-test",
    log: createLogger({ service: "breaker-test", level: "error" }),
  });
  for (const verb of ["opened", "half_opened", "closed"]) {
    bus.onBroadcast(auditRecordContract(`circuit_breaker.${verb}`), (record) => events.push(record));
  }
  const flakyProvider = await addFakeProvider(admin, "flaky-upstream", fake);
  const probeProvider = await addFakeProvider(admin, "probe", probe);
  await createModel(admin, "flaky", [{ providerId: flakyProvider, upstreamModel: "gpt-4o" }]);
  await createModel(admin, "probe", [{ providerId: probeProvider, upstreamModel: "gpt-4o" }]);
  const created = await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "breaker" });
  key = created.body.plaintext;
  await putGatewaySettings(admin, SETTINGS);
  for (const proxy of [proxyA, proxyB]) {
    await waitForRetrySetting(proxy.gatewayUrl, key, "probe", probe, SETTINGS.retryMaxAttempts);
  }
});

afterAll(async () => {
  await bus?.close(1000);
  await Promise.all([proxyA?.stop(), proxyB?.stop()]);
  await rest?.stop();
  await Promise.all([fake?.close(), probe?.close()]);
  await testEnv?.cleanup();
});

const actions = () => events.map((e) => e.action);

describe("a circuit breaker shared by two ai-proxy replicas", () => {
  it("opens after the failure threshold, refuses on the other replica, half-opens after recovery with one probe, closes", async () => {
    fake.faultRate(1, { error: { status: 503, message: "upstream is down" } });
    const opening = await chat(proxyA.gatewayUrl, key, "flaky");
    // Three failed attempts reach the threshold (3 failures, 100 % ≥ 50 %); the retries after it are refused locally.
    expect(fake.requests).toHaveLength(SETTINGS.breakerFailureThreshold);
    expect(opening.status).toBe(502);
    expect(opening.json).toEqual({
      error: { message: "upstream is down", type: "server_error", param: null, code: "upstream_error" },
    });
    const opened = await waitFor(() => events.find((e) => e.action === "circuit_breaker.opened"), {
      what: "the opened audit record",
    });
    expect(opened).toMatchObject({
      category: "circuit_breaker",
      outcome: "failure",
      actor: { kind: "system", name: "ai-proxy" },
      target: { kind: "model_route", name: "flaky via flaky-upstream" },
      details: { state: "open", model: "flaky", failureThreshold: 3, errorRatePct: 50, windowSeconds: 60 },
    });

    // Replica B never saw a failure, yet refuses without calling the upstream.
    const refused = await chat(proxyB.gatewayUrl, key, "flaky");
    expect(refused.status).toBe(503);
    expect(refused.json).toEqual({
      error: {
        message: "every route of the model 'flaky' is unavailable right now (circuit breaker open); try again shortly",
        type: "server_error",
        param: null,
        code: "unavailable",
      },
    });
    expect(refused.headers.get("retry-after")).toBe(String(SETTINGS.breakerRecoverySeconds));
    expect(fake.requests).toHaveLength(SETTINGS.breakerFailureThreshold);

    // The console sees the shared state.
    const listed = await admin.call<{ models: Array<{ model: string; routes: Array<{ health: { state: string } }> }> }>(
      "GET",
      "/api/admin/models",
    );
    expect(listed.body.models.find((m) => m.model === "flaky")?.routes[0]?.health.state).toBe("open");

    // After the recovery period: the upstream is healthy again but slow, so the one probe stays in flight a while.
    fake.faultRate(0);
    fake.script({ firstByteDelayMs: 1500 });
    const before = fake.requests.length;
    let probeCall: ReturnType<typeof chat> | undefined;
    await waitFor(
      async () => {
        const call = chat(proxyA.gatewayUrl, key, "flaky");
        const reached = waitFor(() => fake.requests.length > before, { timeoutMs: 500, intervalMs: 10 }).then(
          () => "probing" as const,
          () => "refused" as const,
        );
        const first = await Promise.race([call.then(() => "answered" as const), reached]);
        if (first === "probing") {
          probeCall = call;
          return true;
        }
        await call;
        return false;
      },
      { what: "a half-open probe to reach the upstream", timeoutMs: 20_000 },
    );
    // Audit records travel through the outbox, asynchronously: the probe can reach the upstream first.
    const halfOpened = await waitFor(() => events.find((e) => e.action === "circuit_breaker.half_opened"), {
      what: "the half-opened audit record",
    });
    expect((halfOpened?.occurredAt ?? 0) - opened.occurredAt).toBeGreaterThanOrEqual(SETTINGS.breakerRecoverySeconds * 1000);

    // One probe at a time: while it is in flight, replica B still refuses.
    expect((await chat(proxyB.gatewayUrl, key, "flaky")).status).toBe(503);
    expect(fake.requests).toHaveLength(before + 1);

    expect((await probeCall)?.status).toBe(200);
    await waitFor(() => events.some((e) => e.action === "circuit_breaker.closed"), { what: "the closed audit record" });
    expect((await chat(proxyB.gatewayUrl, key, "flaky")).status).toBe(200);
    expect(fake.requests).toHaveLength(before + 2);
    // Each transition published once, by the replica that caused it.
    expect(actions()).toEqual(["circuit_breaker.opened", "circuit_breaker.half_opened", "circuit_breaker.closed"]);
  }, 120_000);
});
