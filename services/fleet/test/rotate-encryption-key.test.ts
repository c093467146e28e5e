/**
 * `rotate-encryption-key` as an operator runs it: secrets written under the old key are re-encrypted under the new
 * one (provider API keys, secret headers, the OIDC client secret), one nobody can decrypt is reported with exit 1,
 * a second run finds nothing to do, and admin-api started with only the new key reads every secret.
 */
import { spawn } from "node:child_process";
import { createKeyring } from "@thinkwatch/crypto";
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

let testEnv: TestEnvironment;
let sql: postgres.Sql;

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
  testEnv = await createTestEnvironment();
  sql = postgres(testEnv.env.DATABASE_URL as string, { max: 1, onnotice: () => undefined });
});

afterAll(async () => {
  await sql?.end();
  await testEnv?.cleanup();
});

describe("rotate-encryption-key", () => {
  it("re-encrypts every secret under the new key and reports the ones no key can read", async () => {
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
      values ('lost', 'openai', 'https://api.openai.com/v1', ${createKeyring(LOST_KEY).encrypt("sk-lost")}) returning id`;

    const env = { ...testEnv.env, ENCRYPTION_KEY: NEW_KEY, ENCRYPTION_PREVIOUS_KEYS: OLD_KEY };
    const first = await rotate(env);
    expect(first.code).toBe(1);
    expect(first.stdout.split("\n")[0]).toBe(
      `re-encrypted 3 secret(s) under key ${newRing.currentKeyId}; 0 already current; 0 changed meanwhile; 1 failed`,
    );
    expect(first.stderr.trim()).toBe(
      `cannot re-encrypt provider ${lost?.id} API key: no key with id ${createKeyring(LOST_KEY).currentKeyId} is configured (ENCRYPTION_KEY / ENCRYPTION_PREVIOUS_KEYS)`,
    );

    const [row] =
      await sql`select api_key_encrypted, secret_headers_encrypted from providers where id = ${created.body.provider.id}`;
    expect(newRing.decrypt(row?.api_key_encrypted)).toBe("sk-rotation-test-key-9876");
    expect(JSON.parse(newRing.decrypt(row?.secret_headers_encrypted))).toEqual({ "x-org-token": "org-secret-1234" });
    const [sso] = await sql`select value from system_settings where key = 'sso'`;
    expect(newRing.decrypt(sso?.value.clientSecretEncrypted)).toBe("oidc-client-secret");
    expect(sso?.value).toMatchObject({ issuer: "https://idp.example.com", clientId: "thinkwatch" });

    await sql`delete from providers where id = ${lost?.id}`;
    const second = await rotate(env);
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe(
      `re-encrypted 0 secret(s) under key ${newRing.currentKeyId}; 3 already current; 0 changed meanwhile; 0 failed`,
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
    } finally {
      await after.stop();
    }
  });

  it("refuses to run without a valid ENCRYPTION_KEY, naming the variable", async () => {
    const result = await rotate({ DATABASE_URL: testEnv.env.DATABASE_URL as string, ENCRYPTION_KEY: "short" });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "ENCRYPTION_KEY: must be exactly 64 hex characters (32 bytes); generate one with: openssl rand -hex 32",
    );
  });
});
