/**
 * Providers through their whole life against the real servers: secrets write-only and masked, header and egress
 * rules at save time, PATCH, soft delete (gone from the gateway at once), the 30-day purge raced by two replicas,
 * and a provider whose secret cannot be decrypted shown as degraded — in the API and at the gateway.
 */
import { aiProxyService } from "@thinkwatch/ai-proxy";
import { createKeyring } from "@thinkwatch/crypto";
import { createDb } from "@thinkwatch/db";
import { keyService } from "@thinkwatch/key-service";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import { createLogger } from "@thinkwatch/log";
import { quotaService } from "@thinkwatch/quota";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  type FakeUpstream,
  freePort,
  startFakeUpstream,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import OpenAI from "openai";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProviderPurger } from "../src/purge/provider-purge.js";
import { adminApiService } from "../src/service.js";

let testEnv: TestEnvironment;
let fleet: Fleet;
let api: ConsoleClient;
let upstream: FakeUpstream;
let gatewayUrl: string;
let sql: postgres.Sql;
let gatewayKey: string;
const requestId = expect.any(String);

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  upstream = await startFakeUpstream({ kind: "openai", record: true });
  const [consolePort, gatewayPort] = [await freePort(), await freePort()];
  fleet = await startFleet({
    services: [keyService, quotaService, adminApiService, aiProxyService],
    env: { ...testEnv.env, CONSOLE_PORT: String(consolePort), GATEWAY_PORT: String(gatewayPort) },
  });
  gatewayUrl = `http://127.0.0.1:${gatewayPort}/v1`;
  api = createConsoleClient(`http://127.0.0.1:${consolePort}`);
  await api.initialize();
  gatewayKey = (await api.call<{ plaintext: string }>("POST", "/api/keys", { name: "providers-test" })).body.plaintext;
  sql = postgres(testEnv.env.DATABASE_URL as string, { max: 2, onnotice: () => undefined });
});

afterAll(async () => {
  await sql?.end();
  await fleet?.stop("test done");
  await upstream?.close();
  await testEnv?.cleanup();
});

type ProviderView = Record<string, unknown> & { id: string; name: string };
const gateway = () => new OpenAI({ apiKey: gatewayKey, baseURL: gatewayUrl, maxRetries: 0 });

async function createProvider(body: Record<string, unknown>): Promise<ProviderView> {
  const created = await api.call<{ provider: ProviderView }>("POST", "/api/admin/providers", body);
  if (created.status !== 201) throw new Error(`provider refused: ${JSON.stringify(created.body)}`);
  return created.body.provider;
}

describe("secrets", () => {
  it("stores the API key and secret headers encrypted, sends them upstream and never reads them back", async () => {
    const provider = await createProvider({
      name: "secretive",
      kind: "openai_compatible",
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
      settings: { headers: { "x-team": "blue" } },
      secretHeaders: { "x-org-token": "org-token-very-secret-4242" },
      models: [{ model: "secret-model", upstreamModel: "gpt-4o-mini" }],
    });
    expect(provider).toMatchObject({
      hasApiKey: true,
      apiKeyHint: `${upstream.apiKey.slice(0, 3)}…${upstream.apiKey.slice(-4)}`,
      secretHeaderNames: ["x-org-token"],
      settings: { headers: { "x-team": "blue" } },
      status: "active",
      statusReason: null,
    });
    const listed = await api.call("GET", "/api/admin/providers");
    for (const body of [JSON.stringify(provider), JSON.stringify(listed.body)]) {
      expect(body).not.toContain(upstream.apiKey);
      expect(body).not.toContain("org-token-very-secret-4242");
    }
    const [row] =
      await sql`select api_key_encrypted, secret_headers_encrypted, settings from providers where id = ${provider.id}`;
    expect(JSON.stringify(row)).not.toContain("org-token-very-secret-4242");
    expect(String(row?.secret_headers_encrypted)).toMatch(/^v1\.[0-9a-f]{8}\./);

    upstream.reset();
    const reply = await waitFor(
      () =>
        gateway()
          .chat.completions.create({ model: "secret-model", messages: [{ role: "user", content: "hi" }] })
          .catch(() => null),
      { what: "the gateway to route secret-model" },
    );
    expect(reply.choices[0]?.message.role).toBe("assistant");
    const sent = upstream.requests.at(-1);
    expect(sent?.headers["x-org-token"]).toBe("org-token-very-secret-4242");
    expect(sent?.headers["x-team"]).toBe("blue");
    expect(sent?.headers.authorization).toBe(`Bearer ${upstream.apiKey}`);
  });

  it.each([
    [
      { settings: { headers: { "bad header": "x" } } },
      "settings.headers.bad header",
      "a header name is letters, digits and !#$%&'*+-.^_`|~",
    ],
    [
      { settings: { headers: { "x-a": "one\r\nx-injected: 1" } } },
      "settings.headers.x-a",
      "a header value must not contain CR, LF or NUL",
    ],
    [
      { settings: { headers: { Host: "evil.example" } } },
      "settings.headers.Host",
      "the host header is set by the gateway and cannot be overridden",
    ],
    [
      { settings: { headers: { "Transfer-Encoding": "chunked" } } },
      "settings.headers.Transfer-Encoding",
      "the transfer-encoding header is set by the gateway and cannot be overridden",
    ],
    [
      { settings: { headers: { "X-Api-Key": "k" } } },
      "settings.headers.X-Api-Key",
      "this looks like a secret; send it in secretHeaders (stored encrypted) instead",
    ],
    [
      { secretHeaders: { Connection: "close" } },
      "secretHeaders.Connection",
      "the connection header is set by the gateway and cannot be overridden",
    ],
    [{ secretHeaders: { "x-token": "a\nb" } }, "secretHeaders.x-token", "a header value must not contain CR, LF or NUL"],
    [
      { baseUrl: "http://169.254.169.254/latest" },
      "baseUrl",
      "baseUrl 169.254.169.254 is link-local (cloud metadata), which upstreams may never use",
    ],
    [
      { baseUrl: "http://user@llm.example.com/v1" },
      "baseUrl",
      "baseUrl must not contain credentials (user@host); put secrets in the API key or secret headers",
    ],
    [
      { baseUrl: "http://[::ffff:169.254.169.254]/v1" },
      "baseUrl",
      "baseUrl [::ffff:a9fe:a9fe] is link-local (cloud metadata), which upstreams may never use",
    ],
    [
      { baseUrl: "http://metadata.google.internal/v1" },
      "baseUrl",
      "baseUrl metadata.google.internal is a cloud metadata service",
    ],
  ])("refuses %j at save time, naming the field", async (extra, field, message) => {
    const response = await api.call("POST", "/api/admin/providers", {
      name: "refused",
      kind: "openai_compatible",
      baseUrl: "https://llm.example.com/v1",
      ...extra,
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: `invalid provider: ${message}`,
        requestId,
        details: { fields: { [field]: message } },
      },
    });
  });
});

describe("update and soft delete", () => {
  it("patches name, key and headers, clears a secret with null, and refuses unknown fields", async () => {
    const provider = await createProvider({ name: "patchable", kind: "openai", apiKey: "sk-first-key-000000001111" });
    const renamed = await api.call<{ provider: ProviderView }>("PATCH", `/api/admin/providers/${provider.id}`, {
      name: "patched",
      apiKey: "sk-second-key-00000002222",
      secretHeaders: { "x-org": "org-secret-value" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.provider).toMatchObject({ name: "patched", apiKeyHint: "sk-…2222", secretHeaderNames: ["x-org"] });
    const cleared = await api.call<{ provider: ProviderView }>("PATCH", `/api/admin/providers/${provider.id}`, {
      apiKey: null,
      secretHeaders: null,
      isActive: false,
    });
    expect(cleared.body.provider).toMatchObject({
      hasApiKey: false,
      apiKeyHint: null,
      secretHeaderNames: [],
      isActive: false,
      status: "inactive",
    });
    const unknown = await api.call("PATCH", `/api/admin/providers/${provider.id}`, { kind: "anthropic" });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      error: { code: "validation_failed", details: { fields: { kind: expect.any(String) } } },
    });
    const missing = await api.call("PATCH", "/api/admin/providers/00000000-0000-4000-8000-000000000000", { name: "x" });
    expect(missing.body).toEqual({
      error: { code: "not_found", message: "no provider with id 00000000-0000-4000-8000-000000000000", requestId },
    });
  });

  it("removes a deleted provider from the list and the gateway at once, and frees its name", async () => {
    const provider = await createProvider({
      name: "doomed",
      kind: "openai_compatible",
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
      models: [{ model: "doomed-model", upstreamModel: "gpt-4o-mini" }],
    });
    await waitFor(
      () =>
        gateway()
          .chat.completions.create({ model: "doomed-model", messages: [{ role: "user", content: "hi" }] })
          .catch(() => null),
      { what: "doomed-model to route" },
    );
    const deleted = await api.call("DELETE", `/api/admin/providers/${provider.id}`);
    expect(deleted.status).toBe(204);
    const listed = await api.call<{ providers: ProviderView[] }>("GET", "/api/admin/providers");
    expect(listed.body.providers.map((p) => p.name)).not.toContain("doomed");
    const error = await waitFor(
      () =>
        gateway()
          .chat.completions.create({ model: "doomed-model", messages: [{ role: "user", content: "hi" }] })
          .then(
            () => null,
            (caught: unknown) => caught as InstanceType<typeof OpenAI.APIError>,
          ),
      { what: "doomed-model to disappear from routing" },
    );
    expect(error.status).toBe(404);
    expect((await api.call("DELETE", `/api/admin/providers/${provider.id}`)).status).toBe(404);
    expect((await api.call("POST", "/api/admin/providers", { name: "doomed", kind: "openai", apiKey: "sk-1" })).status).toBe(201);
  });

  it("purges providers deleted more than 30 days ago exactly once when two replicas race", async () => {
    const old = await createProvider({ name: "ancient", kind: "openai", apiKey: "sk-1", models: [{ model: "ancient-model" }] });
    const recent = await createProvider({ name: "recent", kind: "openai", apiKey: "sk-1" });
    await api.call("DELETE", `/api/admin/providers/${old.id}`);
    await api.call("DELETE", `/api/admin/providers/${recent.id}`);
    await sql`update providers set deleted_at = now() - interval '31 days' where id = ${old.id}`;
    const replicas = [0, 1].map(() => createDb({ url: testEnv.env.DATABASE_URL as string, name: "purge-test" }));
    const [first] = replicas;
    if (first === undefined) throw new Error("no replica");
    const log = createLogger({ service: "purge-test", level: "silent" });
    try {
      const results = await Promise.all(replicas.map((pg) => createProviderPurger(pg.db, log).runOnce()));
      // One run purged it; the other either skipped (lock held) or found nothing left.
      expect(results.filter((n) => n === 1)).toHaveLength(1);
      expect(results.every((n) => n === 1 || n === 0 || n === null)).toBe(true);
      expect(await createProviderPurger(first.db, log).runOnce()).toBe(0);
    } finally {
      await Promise.all(replicas.map((pg) => pg.close(1000)));
    }
    const left = await sql`select id from providers where id in (${old.id}, ${recent.id})`;
    expect(left.map((row) => row.id)).toEqual([recent.id]);
    expect(await sql`select id from models where model_id = 'ancient-model'`).toHaveLength(0);
  });
});

describe("degraded providers", () => {
  it("shows a provider whose secret no configured key decrypts as degraded, in the API and at the gateway", async () => {
    const provider = await createProvider({
      name: "undecryptable",
      kind: "openai_compatible",
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
      models: [{ model: "broken-model", upstreamModel: "gpt-4o-mini" }],
    });
    const foreign = createKeyring("ab".repeat(32)).encrypt("sk-encrypted-elsewhere");
    await sql`update providers set api_key_encrypted = ${foreign} where id = ${provider.id}`;
    const reason = `cannot decrypt the API key: no key with id ${foreign.split(".")[1]} is configured (ENCRYPTION_KEY / ENCRYPTION_PREVIOUS_KEYS)`;
    const listed = await api.call<{ providers: ProviderView[] }>("GET", "/api/admin/providers");
    expect(listed.body.providers.find((p) => p.id === provider.id)).toMatchObject({
      status: "degraded",
      statusReason: reason,
      hasApiKey: true,
      apiKeyHint: null,
    });
    // Any change republishes the routing table; the gateway then answers for its model with the reason.
    await api.call("PATCH", `/api/admin/providers/${provider.id}`, { settings: { note: "republish" } });
    const error = await waitFor(
      () =>
        gateway()
          .chat.completions.create({ model: "broken-model", messages: [{ role: "user", content: "hi" }] })
          .then(
            () => null,
            (caught: InstanceType<typeof OpenAI.APIError>) => (caught.status === 503 ? caught : null),
          ),
      { what: "the gateway to report broken-model's provider as degraded" },
    );
    expect(error.error).toMatchObject({
      message: `the provider 'undecryptable' of the model 'broken-model' is degraded: cannot decrypt its secrets: no key with id ${foreign.split(".")[1]} is configured (ENCRYPTION_KEY / ENCRYPTION_PREVIOUS_KEYS)`,
    });
  });
});
