/**
 * The newcomer's path, every hop real: the fleet as `npm start` runs it, the setup wizard's API, a provider and a key
 * created in the console API, chat completions through the gateway with the official `openai` SDK (stream and not),
 * the ClickHouse row, the webhook delivery, and the per-minute limit answering 429 in OpenAI's shape.
 */
import { createClickHouse } from "@thinkwatch/clickhouse";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  type FakeUpstream,
  type FleetProcess,
  startFakeUpstream,
  startFleetProcess,
  startWebhookReceiver,
  type TestEnvironment,
  type WebhookReceiver,
  waitFor,
} from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let upstream: FakeUpstream;
let webhook: WebhookReceiver;
let console_: ConsoleClient;

interface GatewayLogRow {
  event_id: string;
  model: string;
  upstream_model: string;
  api_key_id: string;
  user_id: string;
  stream: number;
  status_code: number;
  error_code: string;
  input_tokens: string;
  output_tokens: string;
  latency_ms: number;
  provider_kind: string;
  inbound_api: string;
}

beforeAll(async () => {
  testEnv = await createTestEnvironment({ clickhouse: true });
  upstream = await startFakeUpstream("openai");
  webhook = await startWebhookReceiver();
  fleet = await startFleetProcess({ env: testEnv.env });
  console_ = createConsoleClient(fleet.consoleUrl);
});

afterAll(async () => {
  await fleet?.stop();
  await upstream?.close();
  await webhook?.close();
  await testEnv?.cleanup();
});

describe("walking skeleton", () => {
  let userId: string;
  let keyId: string;
  let plaintext: string;
  let client: OpenAI;

  it("runs the setup wizard once", async () => {
    expect((await console_.call("GET", "/api/setup/status")).body).toEqual({ initialized: false, needsSetup: true });
    ({ userId } = await console_.initialize());
    expect((await console_.call("GET", "/api/setup/status")).body).toEqual({ initialized: true, needsSetup: false });
    const again = await console_.call("POST", "/api/setup/initialize", {
      admin: { email: "x@example.com", password: "Another-pass-1" },
    });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: { code: "conflict", message: "ThinkWatch is already set up", requestId: expect.any(String) },
    });
    const login = await console_.call<{ accessToken: string; user: { id: string; role: string } }>("POST", "/api/auth/login", {
      email: "admin@example.com",
      password: "Sup3r-secret-pass",
    });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ id: userId, role: "super_admin" });
    console_.token = login.body.accessToken;
  });

  it("creates a webhook channel, a provider and a key with a per-minute limit", async () => {
    const channel = await console_.call("POST", "/api/admin/log-forwarders", {
      name: "siem",
      kind: "webhook",
      settings: { url: webhook.url },
    });
    expect(channel.status).toBe(201);

    const provider = await console_.call<{ provider: { id: string; hasApiKey: boolean } }>("POST", "/api/admin/providers", {
      name: "fake-openai",
      kind: "openai",
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
    });
    expect(provider.status).toBe(201);
    expect(provider.body.provider.hasApiKey).toBe(true);
    expect(JSON.stringify(provider.body)).not.toContain(upstream.apiKey);

    const key = await console_.call<{ key: { id: string; userId: string }; plaintext: string }>("POST", "/api/keys", {
      name: "laptop",
    });
    expect(key.status).toBe(201);
    expect(key.body.plaintext).toMatch(/^tw-/);
    expect(key.body.key.userId).toBe(userId);
    ({ plaintext } = key.body);
    keyId = key.body.key.id;

    const rules = await console_.call("PUT", `/api/admin/limits/api_key/${keyId}/rules`, {
      rules: [{ surface: "ai_gateway", metric: "requests", windowSeconds: 60, limit: 2 }],
    });
    expect(rules.status).toBe(200);
    client = new OpenAI({ apiKey: plaintext, baseURL: `${fleet.gatewayUrl}/v1`, maxRetries: 0 });
  });

  it("answers a chat completion through the gateway (non-stream), forwarding to the provider with its own key", async () => {
    // The provider reaches ai-proxy through the config KV without a restart; allow it a moment to arrive.
    const completion = await waitFor(
      () => client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hello gateway" }] }),
      { what: "the new provider to be routable" },
    );
    expect(completion.choices[0]?.message.content).toBe("echo: hello gateway");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    const received = upstream.requests.at(-1);
    expect(received?.headers.authorization).toBe(`Bearer ${upstream.apiKey}`);
    expect(received?.headers.authorization).not.toContain(plaintext);
  });

  it("streams a chat completion chunk by chunk with usage", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "stream please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("echo: stream please");
    expect(chunks).toBeGreaterThan(2);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("refuses the request over the per-minute limit with 429 in OpenAI's error shape", async () => {
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "one too many" }] })
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimited = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimited.status).toBe(429);
    expect(rateLimited.error).toEqual({
      message: "rate limit exceeded: api_key:requests/1m (2)",
      type: "rate_limit_error",
      param: null,
      code: "rate_limit_exceeded",
    });
    expect(Number(rateLimited.headers?.get("retry-after"))).toBeGreaterThan(0);
  });

  it("records each request in ClickHouse with model, tokens, key, user and latency", async () => {
    const clickhouse = createClickHouse({
      url: testEnv.env.CLICKHOUSE_URL as string,
      database: testEnv.env.CLICKHOUSE_DB as string,
    });
    try {
      const rows = await waitFor(
        async () => {
          const found = await clickhouse.query<GatewayLogRow>("SELECT * FROM gateway_logs FINAL ORDER BY created_at_ms");
          return found.length >= 3 ? found : null;
        },
        { what: "three gateway_logs rows" },
      );
      expect(rows).toHaveLength(3);
      const [plain, streamed, limited] = rows as [GatewayLogRow, GatewayLogRow, GatewayLogRow];
      for (const row of rows) {
        expect(row).toMatchObject({
          model: "gpt-4o-mini",
          api_key_id: keyId,
          user_id: userId,
          inbound_api: "openai_chat",
          provider_kind: "openai",
        });
      }
      expect(plain).toMatchObject({ stream: 0, status_code: 200, error_code: "", upstream_model: "gpt-4o-mini" });
      expect(Number(plain.input_tokens)).toBeGreaterThan(0);
      expect(Number(plain.output_tokens)).toBeGreaterThan(0);
      expect(plain.latency_ms).toBeGreaterThanOrEqual(0);
      expect(streamed).toMatchObject({ stream: 1, status_code: 200 });
      expect(Number(streamed.output_tokens)).toBeGreaterThan(0);
      expect(limited).toMatchObject({ status_code: 429, error_code: "rate_limited", input_tokens: "0" });
    } finally {
      await clickhouse.close();
    }
  });

  it("delivers every event to the webhook", async () => {
    // The admin change that created the provider is an audit event too, delivered before the gateway requests.
    await waitFor(() => webhook.received.length >= 4, { what: "four webhook deliveries" });
    const all = webhook.received.map((r) => r.body as { type: string; eventId: string; event: Record<string, unknown> });
    expect(all.map((b) => b.type)).toEqual([
      "provider.created",
      "gateway_request.completed",
      "gateway_request.completed",
      "gateway_request.completed",
    ]);
    const bodies = all.slice(1);
    expect(bodies.map((b) => b.event.statusCode)).toEqual([200, 200, 429]);
    for (const body of bodies) {
      expect(body.event).toMatchObject({ apiKeyId: keyId, userId, model: "gpt-4o-mini" });
      expect(body.eventId).toBe(body.event.eventId);
    }
    expect(webhook.received[0]?.headers["x-thinkwatch-event-type"]).toBe("provider.created");
    expect(webhook.received[1]?.headers["x-thinkwatch-event-type"]).toBe("gateway_request.completed");
  });
});
