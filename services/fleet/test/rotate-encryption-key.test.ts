/**
 * `rotate-encryption-key` as an operator runs it: every secret written under the old key — provider API keys and
 * secret headers, MCP server secrets and OAuth client secrets (live and soft-deleted), the OIDC client secret, a
 * webhook's signing secret, a sealed API key, per-user MCP OAuth tokens in NATS KV — is re-encrypted under the new
 * one, the KV read-models are republished with current ciphertexts, one nobody can decrypt is reported with exit 1,
 * two runs at once re-encrypt each secret once, and admin-api started with only the new key reads every secret.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { Kvm } from "@nats-io/kv";
import { type Bus, connectBus, openConfigStore } from "@thinkwatch/bus";
import { createKeyring } from "@thinkwatch/crypto";
import { createLogger } from "@thinkwatch/log";
import { CONFIG_KEYS, MCP_USER_TOKENS_BUCKET, mcpUserTokensKey } from "@thinkwatch/proto";
import {
  createConsoleClient,
  createTestEnvironment,
  FLEET_ENTRY,
  startFleetProcess,
  TEST_SECRETS,
  type TestEnvironment,
} from "@thinkwatch/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const OLD_KEY = TEST_SECRETS.ENCRYPTION_KEY;
const NEW_KEY = "1f".repeat(32);
const LOST_KEY = "c3".repeat(32);
const oldRing = createKeyring(OLD_KEY);
const newRing = createKeyring(NEW_KEY);
const lostRing = createKeyring(LOST_KEY);

interface Environment {
  testEnv: TestEnvironment;
  sql: postgres.Sql;
  bus: Bus;
  close(): Promise<void>;
}

/** A database, a NATS namespace and a bus of its own. */
async function openEnvironment(): Promise<Environment> {
  const testEnv = await createTestEnvironment();
  const sql = postgres(testEnv.env.DATABASE_URL as string, { max: 1, onnotice: () => undefined });
  const bus = await connectBus({
    url: testEnv.env.NATS_URL as string,
    namespace: testEnv.env.THINKWATCH_NAMESPACE as string,
    name: "rotation-test",
    log: createLogger({ service: "rotation-test", level: "silent" }),
  });
  return {
    testEnv,
    sql,
    bus,
    close: async () => {
      await bus.close(2000);
      await sql.end();
      await testEnv.cleanup();
    },
  };
}

let shared: Environment | undefined;

function rotate(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FLEET_ENTRY, "rotate-encryption-key"], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  shared = await openEnvironment();
});

afterAll(async () => {
  await shared?.close();
});

const sharedEnv = () => {
  if (shared === undefined) throw new Error("the shared environment did not start");
  return shared;
};

describe("rotate-encryption-key", () => {
  it("covers every encrypted column of the schema", async () => {
    // A new encrypted column must be added to ENCRYPTED_FIELDS (admin-api) and to this list.
    const columns = await sharedEnv().sql<Array<{ name: string }>>`
      select table_name || '.' || column_name as name from information_schema.columns
      where table_schema = current_schema() and (column_name like '%encrypted%' or column_name like 'sealed%')
      order by 1`;
    expect(columns.map((c) => c.name)).toEqual([
      "api_keys.sealed_plaintext",
      "mcp_servers.oauth_client_secret_encrypted",
      "mcp_servers.secrets_encrypted",
      "providers.api_key_encrypted",
      "providers.secret_headers_encrypted",
    ]);
  });

  it("re-encrypts every secret under the new key, once across concurrent runs, and reports the ones no key can read", async () => {
    // Its own database and namespace: a retry starts again from nothing (setup and the seeded rows cannot be made
    // twice in one database).
    const own = await openEnvironment();
    try {
      await rotationScenario(own);
    } finally {
      await own.close();
    }
  }, 180_000);

  it("refuses to run without a valid ENCRYPTION_KEY, naming the variable", async () => {
    const result = await rotate({ DATABASE_URL: sharedEnv().testEnv.env.DATABASE_URL as string, ENCRYPTION_KEY: "short" });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "ENCRYPTION_KEY: must be exactly 64 hex characters (32 bytes); generate one with: openssl rand -hex 32",
    );
  });
});

/** Every secret kind under the old key, two concurrent rotations, a third, and admin-api with only the new key. */
async function rotationScenario({ testEnv, sql, bus }: Environment): Promise<void> {
  const fleet = await startFleetProcess({ env: testEnv.env, services: ["admin-api"] });
  const api = createConsoleClient(fleet.consoleUrl);
  await api.initialize();
  const created = await api.call<{ provider: { id: string } }>("POST", "/api/admin/providers", {
    name: "rotated",
    kind: "openai",
    apiKey: "sk-rotation-test-key-9876",
    secretHeaders: { "x-org-token": "org-secret-1234" },
  });
  expect(created.status).toBe(201);
  await fleet.stop();

  const ssoConfig = {
    enabled: false,
    issuer: "https://idp.example.com",
    clientId: "thinkwatch",
    clientSecretEncrypted: oldRing.encrypt("oidc-client-secret"),
  };
  await sql`insert into system_settings (key, value) values ('sso', ${sql.json(ssoConfig)})`;
  const [lost] = await sql`insert into providers (name, kind, base_url, api_key_encrypted)
    values ('lost', 'openai', 'https://api.openai.com/v1', ${lostRing.encrypt("sk-lost")}) returning id`;
  const [mcp] = await sql`insert into mcp_servers
      (name, prefix, transport, url, secrets_encrypted, auth_mode, oauth_client_id, oauth_client_secret_encrypted)
    values ('docs', 'docs', 'streamable_http', 'https://mcp.example.com/mcp',
      ${oldRing.encrypt(JSON.stringify({ authorization: "Bearer mcp-static-1" }))}, 'client_credentials', 'tw-client',
      ${oldRing.encrypt("mcp-client-secret")}) returning id`;
  const [deletedMcp] = await sql`insert into mcp_servers (name, prefix, transport, url, secrets_encrypted, deleted_at)
    values ('gone', 'gone', 'streamable_http', 'https://gone.example.com/mcp',
      ${oldRing.encrypt(JSON.stringify({ "x-token": "gone-1" }))}, now()) returning id`;
  const [webhook] = await sql`insert into log_forwarders (name, kind, settings)
    values ('hook', 'webhook', ${sql.json({ url: "https://hooks.example.com/in", secretEncrypted: oldRing.encrypt("whsec-1") })})
    returning id`;
  const [sealed] = await sql`insert into api_keys (name, key_prefix, key_hash, user_id, sealed_plaintext)
    values ('successor', 'tw-Ab', ${"f".repeat(64)}, ${randomUUID()}, ${oldRing.encrypt("tw-successor-plaintext")}) returning id`;
  const tokens = await new Kvm(bus.nc).create(bus.bucketName(MCP_USER_TOKENS_BUCKET), { history: 1 });
  const tokenKey = mcpUserTokensKey(mcp?.id, randomUUID());
  const tokenRecord = { accessToken: "upstream-access-1", refreshToken: "upstream-refresh-1" };
  await tokens.put(tokenKey, oldRing.encrypt(JSON.stringify(tokenRecord)));

  // Readable: provider key + headers, MCP secrets (live, deleted) + client secret, SSO, webhook, sealed key, KV token.
  const readable = 9;
  const env = { ...testEnv.env, ENCRYPTION_KEY: NEW_KEY, ENCRYPTION_PREVIOUS_KEYS: OLD_KEY };
  const runs = await Promise.all([rotate(env), rotate(env)]);
  const lostLine = `cannot re-encrypt provider ${lost?.id} API key: no key with id ${lostRing.currentKeyId} is configured (ENCRYPTION_KEY / ENCRYPTION_PREVIOUS_KEYS)`;
  expect(runs.map((r) => r.code)).toEqual([1, 1]);
  expect(runs.map((r) => r.stderr.trim())).toEqual([lostLine, lostLine]);
  // The runs queue behind one another: one re-encrypts everything, the other finds it done.
  expect(runs.map((r) => r.stdout.trim()).sort()).toEqual([
    `re-encrypted 0 secret(s) under key ${newRing.currentKeyId}; ${readable} already current; 1 failed`,
    `re-encrypted ${readable} secret(s) under key ${newRing.currentKeyId}; 0 already current; 1 failed`,
  ]);

  const [provider] =
    await sql`select api_key_encrypted, secret_headers_encrypted from providers where id = ${created.body.provider.id}`;
  expect(newRing.decrypt(provider?.api_key_encrypted)).toBe("sk-rotation-test-key-9876");
  expect(JSON.parse(newRing.decrypt(provider?.secret_headers_encrypted))).toEqual({ "x-org-token": "org-secret-1234" });
  const [sso] = await sql`select value from system_settings where key = 'sso'`;
  expect(newRing.decrypt(sso?.value.clientSecretEncrypted)).toBe("oidc-client-secret");
  expect(sso?.value).toMatchObject({ issuer: "https://idp.example.com", clientId: "thinkwatch" });
  const [mcpRow] = await sql`select secrets_encrypted, oauth_client_secret_encrypted from mcp_servers where id = ${mcp?.id}`;
  expect(JSON.parse(newRing.decrypt(mcpRow?.secrets_encrypted))).toEqual({ authorization: "Bearer mcp-static-1" });
  expect(newRing.decrypt(mcpRow?.oauth_client_secret_encrypted)).toBe("mcp-client-secret");
  const [goneRow] = await sql`select secrets_encrypted from mcp_servers where id = ${deletedMcp?.id}`;
  expect(JSON.parse(newRing.decrypt(goneRow?.secrets_encrypted))).toEqual({ "x-token": "gone-1" });
  const [hook] = await sql`select settings from log_forwarders where id = ${webhook?.id}`;
  expect(newRing.decrypt(hook?.settings.secretEncrypted)).toBe("whsec-1");
  expect(hook?.settings.url).toBe("https://hooks.example.com/in");
  const [sealedRow] = await sql`select sealed_plaintext from api_keys where id = ${sealed?.id}`;
  expect(newRing.decrypt(sealedRow?.sealed_plaintext)).toBe("tw-successor-plaintext");
  const token = await tokens.get(tokenKey);
  expect(JSON.parse(newRing.decrypt(token?.string() ?? ""))).toEqual(tokenRecord);

  // The read-models in the config KV carry only ciphertexts under the new key.
  const config = await openConfigStore(bus, createLogger({ service: "rotation-test", level: "silent" }));
  const routing = await config.get(CONFIG_KEYS.routing);
  const published = routing?.providers.find((p) => p.id === created.body.provider.id);
  expect(newRing.decrypt(published?.apiKeyEncrypted ?? "")).toBe("sk-rotation-test-key-9876");
  const registry = await config.get(CONFIG_KEYS.mcpServers);
  expect(registry?.servers.map((s) => s.id)).toEqual([mcp?.id]);
  expect(newRing.decrypt(registry?.servers[0]?.oauth?.clientSecretEncrypted ?? "")).toBe("mcp-client-secret");
  const channels = await config.get(CONFIG_KEYS.logChannels);
  expect(newRing.decrypt(String(channels?.channels[0]?.settings.secretEncrypted))).toBe("whsec-1");

  await sql`delete from providers where id = ${lost?.id}`;
  const again = await rotate(env);
  expect(again.code).toBe(0);
  expect(again.stdout.trim()).toBe(
    `re-encrypted 0 secret(s) under key ${newRing.currentKeyId}; ${readable} already current; 0 failed`,
  );

  // The old key can go now: admin-api with only the new key reads every secret.
  const after = await startFleetProcess({ env: { ...testEnv.env, ENCRYPTION_KEY: NEW_KEY }, services: ["admin-api"] });
  try {
    const client = createConsoleClient(after.consoleUrl);
    const login = await client.call<{ accessToken: string }>("POST", "/api/auth/login", {
      email: "admin@example.com",
      password: "Sup3r-secret-pass",
    });
    client.token = login.body.accessToken;
    const listed = await client.call<{ providers: Array<Record<string, unknown>> }>("GET", "/api/admin/providers");
    expect(listed.body.providers).toEqual([
      expect.objectContaining({
        name: "rotated",
        status: "active",
        statusReason: null,
        apiKeyHint: "sk-…9876",
        secretHeaderNames: ["x-org-token"],
      }),
    ]);
    const servers = await client.call<{ servers: Array<Record<string, unknown>> }>("GET", "/api/mcp/servers");
    expect(servers.body.servers).toEqual([
      expect.objectContaining({
        name: "docs",
        secretNames: ["authorization"],
        oauth: expect.objectContaining({ hasClientSecret: true }),
      }),
    ]);
  } finally {
    await after.stop();
  }
}
