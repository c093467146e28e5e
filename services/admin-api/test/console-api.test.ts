/** The console API in front of PostgreSQL, key-service and the config KV: setup, login, roles, providers, keys. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyService } from "@thinkwatch/key-service";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  DEFAULT_ADMIN,
  freePort,
  type TestEnvironment,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApiService } from "../src/service.js";

let testEnv: TestEnvironment;
let fleet: Fleet;
let api: ConsoleClient;
let consoleUrl: string;
const distDir = mkdtempSync(join(tmpdir(), "tw-console-"));

beforeAll(async () => {
  mkdirSync(join(distDir, "assets"));
  writeFileSync(join(distDir, "index.html"), "<!doctype html><title>ThinkWatch</title>");
  writeFileSync(join(distDir, "assets", "app-1a2b.js"), "console.log(1)");
  testEnv = await createTestEnvironment();
  const port = await freePort();
  fleet = await startFleet({
    services: [keyService, adminApiService],
    env: { ...testEnv.env, CONSOLE_PORT: String(port), CONSOLE_WEB_DIR: distDir },
  });
  consoleUrl = `http://127.0.0.1:${port}`;
  api = createConsoleClient(consoleUrl);
});

afterAll(async () => {
  await fleet?.stop("test done");
  await testEnv?.cleanup();
});

const requestId = expect.any(String);

describe("setup", () => {
  it("refuses a weak password with every rule it breaks", async () => {
    const response = await api.call("POST", "/api/setup/initialize", { admin: { email: "not-an-email", password: "short" } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.stringContaining("admin.password: password must be at least 8 characters"),
        requestId,
        details: {
          fields: { "admin.email": "email must be an email address", "admin.password": "password must be at least 8 characters" },
        },
      },
    });
  });

  it("creates exactly one super admin even when two setups race", async () => {
    const attempt = (email: string) =>
      createConsoleClient(consoleUrl).call("POST", "/api/setup/initialize", {
        admin: { email, password: DEFAULT_ADMIN.password },
      });
    const [first, second] = await Promise.all([attempt(DEFAULT_ADMIN.email), attempt("other@example.com")]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const winner = first.status === 201 ? first : second;
    api.token = (winner.body as { accessToken: string }).accessToken;
  });
});

describe("login and roles", () => {
  it("logs in with the right password only, with the same answer for unknown emails", async () => {
    const wrong = await api.call("POST", "/api/auth/login", { email: DEFAULT_ADMIN.email, password: "Wrong-pass-1" });
    const unknown = await api.call("POST", "/api/auth/login", { email: "nobody@example.com", password: "Wrong-pass-1" });
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: { code: "unauthenticated", message: "wrong email or password", requestId } });
    }
  });

  it("answers /api/auth/me for a valid token and 401 without one", async () => {
    const me = await api.call<{ user: { email: string; role: string } }>("GET", "/api/auth/me");
    expect(me.body.user).toMatchObject({ role: "super_admin" });
    const anonymous = await createConsoleClient(consoleUrl).call("GET", "/api/admin/providers");
    expect(anonymous.status).toBe(401);
    const forged = createConsoleClient(consoleUrl);
    forged.token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    expect((await forged.call("GET", "/api/auth/me")).status).toBe(401);
  });
});

describe("providers and models", () => {
  it("creates a provider, never returns its key, and lists it with its models", async () => {
    const created = await api.call<{ provider: Record<string, unknown> }>("POST", "/api/admin/providers", {
      name: "azure-east",
      kind: "azure_openai",
      baseUrl: "https://example.openai.azure.com/",
      apiKey: "azure-secret-value",
      settings: { apiVersion: "2024-10-21" },
      models: [{ model: "gpt-4o", upstreamModel: "my-gpt4o-deployment" }],
    });
    expect(created.status).toBe(201);
    expect(created.body.provider).toMatchObject({
      name: "azure-east",
      kind: "azure_openai",
      baseUrl: "https://example.openai.azure.com",
      hasApiKey: true,
      models: [{ model: "gpt-4o", upstreamModel: "my-gpt4o-deployment", isActive: true }],
    });
    const listed = await api.call("GET", "/api/admin/providers");
    expect(JSON.stringify(listed.body)).not.toContain("azure-secret-value");
  });

  it.each([
    [{ name: "compat", kind: "openai_compatible" }, { baseUrl: "baseUrl is required for openai_compatible providers" }],
    [
      { name: "az", kind: "azure_openai", baseUrl: "https://x.openai.azure.com" },
      { "settings.apiVersion": "Azure OpenAI needs settings.apiVersion (e.g. 2024-10-21)" },
    ],
    [
      { name: "br", kind: "bedrock", settings: { region: "us-east-1" } },
      { "settings.accessKeyId": "Bedrock needs settings.accessKeyId", apiKey: "Bedrock needs apiKey (the secret access key)" },
    ],
    [
      { name: "leaky", kind: "openai", settings: { clientSecret: "x" } },
      { "settings.clientSecret": "secrets go in apiKey (stored encrypted), not in settings" },
    ],
  ])("refuses an incomplete provider %#", async (body, fields) => {
    const response = await api.call("POST", "/api/admin/providers", body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: "validation_failed", details: { fields } } });
  });

  const COMPAT = { kind: "openai_compatible", baseUrl: "https://llm.example/v1" };
  it.each([
    [{ ...COMPAT, settings: { responsesApi: "true" } }, { "settings.responsesApi": "must be true or false" }],
    [
      { kind: "openai", settings: { responsesApi: true } },
      {
        "settings.responsesApi":
          "only openai_compatible providers take responsesApi (openai and azure_openai always speak the Responses API)",
      },
    ],
    [
      { ...COMPAT, settings: { responsesModels: "house-*" } },
      { "settings.responsesModels": "must be a list of model names or patterns" },
    ],
    [
      { kind: "openai", settings: { responsesModels: ["house-*", "o3 pro"] } },
      {
        "settings.responsesModels":
          '"o3 pro" is not a model name or pattern (1 to 200 characters without whitespace, * for any run)',
      },
    ],
    [
      { kind: "anthropic", settings: { responsesModels: ["claude-*"] } },
      { "settings.responsesModels": "anthropic providers do not serve the Responses API" },
    ],
    [
      {
        kind: "azure_openai",
        baseUrl: "https://x.openai.azure.com",
        settings: { apiVersion: "2024-10-21", responsesApiVersion: 5 },
      },
      { "settings.responsesApiVersion": "must be an api-version such as 2025-04-01-preview" },
    ],
  ])("refuses a Responses API setting of the wrong type or kind %#", async (body, fields) => {
    const response = await api.call("POST", "/api/admin/providers", { name: "responses-bad", ...body });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.stringContaining("invalid provider: "),
        requestId,
        details: { fields },
      },
    });
  });

  it("stores the Responses API settings of an OpenAI-compatible provider, and refuses a wrong type on update", async () => {
    const created = await api.call<{ provider: { id: string; settings: Record<string, unknown> } }>(
      "POST",
      "/api/admin/providers",
      { name: "vllm-responses", ...COMPAT, settings: { responsesApi: true, responsesModels: ["house-codex*"] } },
    );
    expect(created.status).toBe(201);
    expect(created.body.provider.settings).toEqual({ responsesApi: true, responsesModels: ["house-codex*"] });
    const patched = await api.call("PATCH", `/api/admin/providers/${created.body.provider.id}`, {
      settings: { responsesApi: 1 },
    });
    expect(patched.status).toBe(400);
    expect(patched.body).toMatchObject({
      error: { code: "validation_failed", details: { fields: { "settings.responsesApi": "must be true or false" } } },
    });
  });

  it("refuses a duplicate provider name and a model registered twice", async () => {
    const body = { name: "dup", kind: "openai", apiKey: "sk-1" };
    expect((await api.call("POST", "/api/admin/providers", body)).status).toBe(201);
    expect((await api.call("POST", "/api/admin/providers", body)).body).toMatchObject({
      error: { code: "conflict", message: "a provider named 'dup' already exists" },
    });
    const providers = (await api.call<{ providers: Array<{ id: string; name: string }> }>("GET", "/api/admin/providers")).body
      .providers;
    const dup = providers.find((p) => p.name === "dup");
    expect((await api.call("POST", "/api/admin/models", { model: "gpt-4o", providerId: dup?.id })).body).toMatchObject({
      error: { code: "conflict", message: "the model 'gpt-4o' is already registered" },
    });
  });
});

describe("keys", () => {
  it("shows the plaintext once and lists the key without it", async () => {
    const created = await api.call<{ plaintext: string; key: { id: string; expiresAt: number } }>("POST", "/api/keys", {
      name: "ci",
      expiresInDays: 30,
    });
    expect(created.status).toBe(201);
    expect(created.body.key.expiresAt).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const listed = await api.call("GET", "/api/keys");
    expect(JSON.stringify(listed.body)).toContain(created.body.key.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.plaintext);
    const revoked = await api.call<{ key: { revokedAt: number | null } }>("POST", `/api/keys/${created.body.key.id}/revoke`);
    expect(revoked.body.key.revokedAt).toBeTypeOf("number");
  });

  it("validates key input", async () => {
    const response = await api.call("POST", "/api/keys", { name: "", surfaces: ["teleport"] });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: { code: "validation_failed", details: { fields: { name: "name is required" } } },
    });
  });
});

describe("console pages", () => {
  it("serves the SPA with security headers and falls back to index.html for client routes", async () => {
    const setup = await fetch(`${consoleUrl}/setup`);
    expect(setup.status).toBe(200);
    expect(await setup.text()).toContain("<title>ThinkWatch</title>");
    expect(setup.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(setup.headers.get("x-frame-options")).toBe("DENY");
    const asset = await fetch(`${consoleUrl}/assets/app-1a2b.js`);
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    const unknownApi = await fetch(`${consoleUrl}/api/nope`);
    expect(unknownApi.status).toBe(404);
  });
});
