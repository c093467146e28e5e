/**
 * The console port's HTTP hardening and the OpenAPI document, on a fleet with the gateway beside it: security
 * headers on every response of every route in the table, HSTS only over TLS, the CORS allowlist, CSRF refusals for
 * foreign origins and cookie-carrying writes, the body limit, and the two ports keeping to their own routes. The
 * console's pages (a stand-in build) carry their own CSP, which allows scripts from the console's origin only.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aiProxyService } from "@thinkwatch/ai-proxy";
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

const ALLOWED_ORIGIN = "https://console.example.com";
let testEnv: TestEnvironment;
let fleet: Fleet;
let api: ConsoleClient;
let consoleUrl: string;
let gatewayUrl: string;
let openapi: { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };
const requestId = expect.any(String);
/** A stand-in console build: the SPA's headers come from the server, whatever the build holds. */
const webDir = mkdtempSync(join(tmpdir(), "tw-console-web-"));

beforeAll(async () => {
  writeFileSync(join(webDir, "index.html"), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  testEnv = await createTestEnvironment();
  const [consolePort, gatewayPort] = [await freePort(), await freePort()];
  fleet = await startFleet({
    services: [keyService, adminApiService, aiProxyService],
    env: {
      ...testEnv.env,
      CONSOLE_PORT: String(consolePort),
      GATEWAY_PORT: String(gatewayPort),
      CORS_ORIGINS: ALLOWED_ORIGIN,
      CONSOLE_WEB_DIR: webDir,
    },
  });
  consoleUrl = `http://127.0.0.1:${consolePort}`;
  gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  api = createConsoleClient(consoleUrl);
  await api.initialize();
  openapi = (await api.call<typeof openapi>("GET", "/api/openapi.json")).body;
});

afterAll(async () => {
  await fleet?.stop("test done");
  await testEnv?.cleanup();
  rmSync(webDir, { recursive: true, force: true });
});

/** Writes that take no body: actions named by their path (and the session routes, which read the refresh cookie). */
const BODYLESS_WRITES = [
  "POST /api/admin/log-forwarders/{id}/test",
  "POST /api/admin/users/{id}/invite",
  "POST /api/auth/logout",
  "POST /api/auth/refresh",
  "POST /api/keys/{id}/reveal",
  "POST /api/keys/{id}/revoke",
  "POST /api/mcp/servers/{id}/link",
  "POST /api/mcp/servers/{id}/test",
];

const operations = () =>
  Object.entries(openapi.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
  );

describe("OpenAPI", () => {
  it("documents every route of the table with the schemas that validate it", () => {
    expect(openapi.openapi).toBe("3.1.0");
    // biome-ignore lint/suspicious/noExplicitAny: walking a generated JSON document
    const create = openapi.paths["/api/admin/providers"]?.post as any;
    const body = create.requestBody.content["application/json"].schema;
    expect(body).toMatchObject({ type: "object", additionalProperties: false, required: ["name", "kind"] });
    expect(body.properties.kind.enum).toEqual(["openai", "anthropic", "gemini", "azure_openai", "bedrock", "openai_compatible"]);
    expect(create["x-access"]).toBe("providers:write");
    expect(create.responses["201"].content["application/json"].schema.properties.provider.properties.status.enum).toEqual([
      "active",
      "inactive",
      "degraded",
    ]);
    expect(openapi.paths["/api/admin/providers/{id}"]?.patch?.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "string" } },
    ]);
    expect(openapi.paths["/api/auth/sso/callback"]?.get?.security).toEqual([]);
    for (const path of [
      "/api/admin/sso",
      "/api/admin/settings/{category}",
      "/api/keys",
      "/api/setup/initialize",
      "/api/openapi.json",
    ]) {
      expect(Object.keys(openapi.paths)).toContain(path);
    }
  });

  it("declares a request body for every write that reads one, and the query of every route that reads one", () => {
    // Handlers read input through route-input.ts, which fails a route reading a body or query it did not declare;
    // these are the writes that take no body at all (actions named by their path).
    const withoutBody = operations()
      .filter(({ method }) => method === "POST" || method === "PUT" || method === "PATCH")
      .filter(({ method, path }) => openapi.paths[path]?.[method.toLowerCase()]?.requestBody === undefined)
      .map(({ method, path }) => `${method} ${path}`)
      .sort();
    expect(withoutBody).toEqual(BODYLESS_WRITES);
    // biome-ignore lint/suspicious/noExplicitAny: walking a generated JSON document
    const logs = openapi.paths["/api/logs/search"]?.get as any;
    expect(logs.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["q", "from", "to", "cursor", "limit"]),
    );
  });
});

describe("security headers", () => {
  it("are on every response of every documented route, authenticated or not", async () => {
    for (const { method, path } of operations()) {
      const url = `${consoleUrl}${path.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000")}`;
      for (const headers of [{}, { authorization: `Bearer ${api.token}` }] as Array<Record<string, string>>) {
        const response = await fetch(url, { method, headers, redirect: "manual" });
        await response.arrayBuffer();
        const seen = {
          route: `${method} ${path}`,
          nosniff: response.headers.get("x-content-type-options"),
          frame: response.headers.get("x-frame-options"),
          referrer: response.headers.get("referrer-policy"),
          csp: response.headers.get("content-security-policy"),
          cache: response.headers.get("cache-control"),
          hsts: response.headers.get("strict-transport-security"),
        };
        expect(seen).toEqual({
          route: `${method} ${path}`,
          nosniff: "nosniff",
          frame: "DENY",
          referrer: "no-referrer",
          csp: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
          cache: "no-store",
          hsts: null,
        });
      }
    }
  });

  it("keep the console's pages to scripts from the console's origin: script-src 'self', no 'unsafe-inline'", async () => {
    for (const page of ["/", "/settings", "/mcp/servers"]) {
      const response = await fetch(`${consoleUrl}${page}`);
      expect(response.status).toBe(200);
      const directives = new Map(
        (response.headers.get("content-security-policy") ?? "").split(";").map((part) => {
          const [name = "", ...values] = part.trim().split(/\s+/);
          return [name, values] as const;
        }),
      );
      expect({ page, scriptSrc: directives.get("script-src") }).toEqual({ page, scriptSrc: ["'self'"] });
      // 'unsafe-inline' in a script directive (or the default-src fallback) would let an injected <script> run.
      for (const name of ["script-src", "script-src-elem", "script-src-attr", "default-src"]) {
        const unsafeInline = (directives.get(name) ?? []).includes("'unsafe-inline'");
        expect({ page, name, unsafeInline }).toEqual({ page, name, unsafeInline: false });
      }
    }
  });

  it("adds HSTS when the console is reached over TLS (a TLS-terminating proxy says so)", async () => {
    const response = await fetch(`${consoleUrl}/api/setup/status`, { headers: { "x-forwarded-proto": "https" } });
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
  });
});

describe("CORS and CSRF", () => {
  it("answers a preflight from an allowed origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${consoleUrl}/api/admin/providers`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type,x-thinkwatch-csrf",
        },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("x-thinkwatch-csrf");
    const foreign = await preflight("https://evil.example");
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a write from a foreign origin even with a valid token", async () => {
    const response = await fetch(`${consoleUrl}/api/admin/providers`, {
      method: "POST",
      headers: { origin: "https://evil.example", authorization: `Bearer ${api.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "x", kind: "openai" }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: "forbidden", message: "requests from the origin https://evil.example are not allowed", requestId },
    });
  });

  it("requires the CSRF header on a cookie-carrying write (refresh, logout, login)", async () => {
    for (const path of ["/api/auth/refresh", "/api/auth/logout", "/api/auth/login"]) {
      const refused = await fetch(`${consoleUrl}${path}`, {
        method: "POST",
        headers: { cookie: "tw_refresh=stolen-by-a-form-post", "content-type": "application/json" },
        body: "{}",
      });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({
        error: {
          code: "forbidden",
          message: "a request that carries cookies must also send the x-thinkwatch-csrf header",
          requestId,
        },
      });
    }
    const withHeader = await fetch(`${consoleUrl}/api/auth/login`, {
      method: "POST",
      headers: { cookie: "tw_refresh=x", "x-thinkwatch-csrf": "1", "content-type": "application/json" },
      body: JSON.stringify({ email: "nobody@example.com", password: "Wrong-pass-1" }),
    });
    expect(withHeader.status).toBe(401);
  });

  it("refuses a body above the limit with 413", async () => {
    // Earlier cases reach logout and "revoke all sessions", which end this admin's session: sign in again.
    api.token = (await api.call<{ accessToken: string }>("POST", "/api/auth/login", DEFAULT_ADMIN)).body.accessToken;
    const response = await api.call("POST", "/api/admin/providers", { name: "x".repeat(2 * 1024 * 1024), kind: "openai" });
    expect(response).toMatchObject({
      status: 413,
      body: {
        error: {
          code: "payload_too_large",
          message: expect.stringMatching(/limit is 1048576 bytes|exceeds the limit of 1048576 bytes/),
          requestId,
        },
      },
    });
  });
});

describe("ports keep to their own routes", () => {
  it("serves no gateway route on the console port", async () => {
    for (const [method, path] of [
      ["GET", "/v1/models"],
      ["POST", "/v1/chat/completions"],
      ["POST", "/v1beta/models/gemini-2.0-flash:generateContent"],
      ["POST", "/mcp"],
    ] as const) {
      const response = await fetch(`${consoleUrl}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        ...(method === "POST" ? { body: "{}" } : {}),
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: { code: "not_found", message: `${path} is served on the gateway port, not the console`, requestId },
      });
    }
  });

  it("answers /metrics with 404 on the console port while metrics are off (every listener serves it when on)", async () => {
    const response = await fetch(`${consoleUrl}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("# HELP");
  });

  it("serves no console route on the gateway port", async () => {
    for (const { method, path } of operations()) {
      const response = await fetch(`${gatewayUrl}${path.replace(/\{[^}]+\}/g, "x")}`, {
        method,
        headers: { authorization: `Bearer ${api.token}`, "content-type": "application/json" },
        ...(method === "GET" || method === "DELETE" ? {} : { body: "{}" }),
        redirect: "manual",
      });
      expect({ route: `${method} ${path}`, status: response.status }).toEqual({ route: `${method} ${path}`, status: 404 });
      await response.arrayBuffer();
    }
    expect((await fetch(`${gatewayUrl}/`)).status).toBe(404);
  });
});
