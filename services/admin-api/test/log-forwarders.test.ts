/**
 * /api/admin/log-forwarders end to end (admin-api + forwarder + a real webhook receiver and rsyslog): create each
 * kind, secrets stored encrypted and never shown, update, toggle, the Test button through the forwarder, stats
 * with lag; bad input answered 400 with the reason. And the transactional outbox: a record written in a
 * transaction that rolls back is never published.
 */
import { createDb } from "@thinkwatch/db";
import { createLogger } from "@thinkwatch/log";
import {
  type GatewayScenario,
  type RsyslogReceiver,
  startGatewayScenario,
  startRsyslog,
  startWebhookReceiver,
  type WebhookReceiver,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresAuditRecorder } from "../src/audit/audit-recorder.js";

let scenario: GatewayScenario;
let webhook: WebhookReceiver;
let rsyslog: RsyslogReceiver;

interface Forwarder {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  eventKinds: string[];
  settings: Record<string, unknown>;
  hasSecret: boolean;
}

beforeAll(async () => {
  [scenario, webhook, rsyslog] = await Promise.all([startGatewayScenario({ fakes: [] }), startWebhookReceiver(), startRsyslog()]);
}, 120_000);

afterAll(async () => {
  await Promise.all([scenario?.close(), webhook?.close(), rsyslog?.close()]);
});

describe("log forwarders API", () => {
  let hook: Forwarder;

  it("creates a signed webhook without ever showing its secret", async () => {
    const created = await scenario.admin.call<{ forwarder: Forwarder }>("POST", "/api/admin/log-forwarders", {
      name: "siem",
      kind: "webhook",
      settings: { url: webhook.url, headers: { "x-team": "sec" }, secret: "s3cret-s3cret-s3cret" },
      eventKinds: ["admin", "gateway"],
    });
    expect(created.status).toBe(201);
    hook = created.body.forwarder;
    expect(hook).toMatchObject({
      name: "siem",
      kind: "webhook",
      enabled: true,
      eventKinds: ["admin", "gateway"],
      hasSecret: true,
      settings: { url: webhook.url, headers: { "x-team": "sec" } },
    });
    const listed = await scenario.admin.call<{ forwarders: Forwarder[] }>("GET", "/api/admin/log-forwarders");
    expect(JSON.stringify(listed.body)).not.toContain("s3cret");
    expect(JSON.stringify(listed.body)).not.toContain("secretEncrypted");
  });

  it("tests a channel through the forwarder: the receiver gets a signed test event", async () => {
    const tested = await scenario.admin.call<{ result: { ok: boolean; error: string | null } }>(
      "POST",
      `/api/admin/log-forwarders/${hook.id}/test`,
    );
    expect(tested.status).toBe(200);
    expect(tested.body.result).toMatchObject({ ok: true, error: null });
    const test = await waitFor(() => webhook.received.find((r) => (r.body as { type: string }).type === "log_forwarder.tested"));
    expect(test.headers["x-thinkwatch-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(test.headers["x-team"]).toBe("sec");
  });

  it("creates syslog and Kafka channels and refuses bad settings with the reason", async () => {
    const syslog = await scenario.admin.call<{ forwarder: Forwarder }>("POST", "/api/admin/log-forwarders", {
      name: "rsyslog",
      kind: "syslog",
      settings: { host: "127.0.0.1", port: rsyslog.tcpPort, protocol: "tcp" },
    });
    expect(syslog.status).toBe(201);
    expect(syslog.body.forwarder.settings).toEqual({
      host: "127.0.0.1",
      port: rsyslog.tcpPort,
      protocol: "tcp",
      facility: 13,
      appName: "thinkwatch",
      tlsCa: null,
    });
    const tested = await scenario.admin.call<{ result: { ok: boolean } }>(
      "POST",
      `/api/admin/log-forwarders/${syslog.body.forwarder.id}/test`,
    );
    expect(tested.body.result.ok).toBe(true);
    await waitFor(() => rsyslog.received().some((m) => m.msgid === "log_forwarder.tested"), { what: "the test at rsyslog" });

    const cases: Array<[unknown, string]> = [
      [{ name: "k", kind: "kafka", settings: { brokers: "a b", topic: "t" } }, "brokers: host:port[,host:port…]"],
      [
        { name: "s", kind: "syslog", settings: { host: "h", port: 70_000, protocol: "udp" } },
        "Invalid value: Expected <=65535 but received 70000",
      ],
      [{ name: "w", kind: "webhook", settings: { url: "file:///etc/passwd" } }, "url must be an http(s) URL"],
      [
        { name: "w", kind: "webhook", settings: { url: "https://x", headers: { "x-a": "b\r\nx-injected: 1" } } },
        "header values cannot contain control characters",
      ],
      [
        { name: "w", kind: "webhook", settings: { url: "https://x" }, eventKinds: ["everything"] },
        'Invalid type: Expected ("gateway" | "mcp" | "auth" | "admin" | "api_key" | "budget" | "circuit_breaker" | "console_access" | "platform") but received "everything"',
      ],
    ];
    for (const [body, message] of cases) {
      const res = await scenario.admin.call<{ error: { code: string; message: string; details?: unknown } }>(
        "POST",
        "/api/admin/log-forwarders",
        body,
      );
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body.error)).toContain(message.replace(/"/g, '\\"'));
    }
    const kafka = await scenario.admin.call("POST", "/api/admin/log-forwarders", {
      name: "kafka",
      kind: "kafka",
      settings: { brokers: "127.0.0.1:9092", topic: "audit" },
      enabled: false,
    });
    expect(kafka.status).toBe(201);
  });

  it("updates and toggles, keeping the secret; unknown ids are 404", async () => {
    const updated = await scenario.admin.call<{ forwarder: Forwarder }>("PATCH", `/api/admin/log-forwarders/${hook.id}`, {
      name: "siem-2",
      settings: { url: `${webhook.url}?v=2` },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.forwarder).toMatchObject({ name: "siem-2", hasSecret: true, settings: { url: `${webhook.url}?v=2` } });
    const off = await scenario.admin.call<{ forwarder: Forwarder }>("POST", `/api/admin/log-forwarders/${hook.id}/toggle`, {
      enabled: false,
    });
    expect(off.body.forwarder.enabled).toBe(false);
    const missing = await scenario.admin.call<{ error: { code: string; message: string } }>(
      "PATCH",
      "/api/admin/log-forwarders/00000000-0000-4000-8000-000000000000",
      { name: "x" },
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: "not_found", message: "no such log forwarder" });
    const notUuid = await scenario.admin.call("GET", "/api/admin/log-forwarders/'%20OR%201=1/stats");
    expect(notUuid.status).toBe(404);
    await scenario.admin.call("POST", `/api/admin/log-forwarders/${hook.id}/toggle`, { enabled: true });
  });

  it("reports sent, failed and lag per channel", async () => {
    const stats = await waitFor(
      async () => {
        const res = await scenario.admin.call<{ stats: { sent: number; lag: number } }>(
          "GET",
          `/api/admin/log-forwarders/${hook.id}/stats`,
        );
        return res.body.stats.sent > 0 && res.body.stats.lag === 0 ? res.body.stats : null;
      },
      { what: "delivered admin events counted for the webhook", timeoutMs: 30_000 },
    );
    expect(stats).toMatchObject({ failed: 0, deadLettered: 0, lag: 0 });
  });
});

describe("transactional audit outbox", () => {
  it("publishes a record committed with its change and never one whose transaction rolled back", async () => {
    const pg = createDb({ url: scenario.testEnv.env.DATABASE_URL as string });
    const recorder = createPostgresAuditRecorder(
      pg.db,
      { enqueue: () => undefined, pending: () => 0, dropped: () => 0, flush: async () => undefined },
      createLogger({ service: "test", level: "silent" }),
    );
    const actor = { kind: "system" as const, id: null, name: "test", ip: null, userAgent: null };
    await expect(
      pg.db.transaction(async (tx) => {
        await recorder.record(
          { category: "admin", action: "team.created", actor, target: { kind: "team", id: "rolled", name: null } },
          tx,
        );
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await pg.db.transaction(async (tx) => {
      await recorder.record(
        { category: "admin", action: "team.created", actor, target: { kind: "team", id: "kept", name: null } },
        tx,
      );
    });
    await pg.close();
    const rows = await scenario.waitForRows<{ target_id: string }>(
      "SELECT target_id FROM audit_logs WHERE action = 'team.created'",
      (found) => found.length >= 1,
      "the committed record in audit_logs",
    );
    expect(rows).toEqual([{ target_id: "kept" }]);
  });
});
