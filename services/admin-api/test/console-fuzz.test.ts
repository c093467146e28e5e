/**
 * A fuzz pass over every console route in the route table (read from /api/openapi.json, which is generated from
 * it): malformed JSON, wrong types, NUL bytes, huge strings, unknown fields, absurd nesting, hostile path segments
 * and query strings, as the super admin and anonymously. Every answer must be a non-5xx, and every error the
 * standard console error body.
 */
import { keyService } from "@thinkwatch/key-service";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import { quotaService } from "@thinkwatch/quota";
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
type Operation = { method: string; path: string; bodySchema: { properties?: Record<string, { type?: unknown }> } | undefined };
let operations: Operation[];

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  const port = await freePort();
  fleet = await startFleet({
    services: [keyService, quotaService, adminApiService],
    env: { ...testEnv.env, CONSOLE_PORT: String(port) },
  });
  consoleUrl = `http://127.0.0.1:${port}`;
  api = createConsoleClient(consoleUrl);
  await api.initialize();
  const document = (
    await api.call<{ paths: Record<string, Record<string, Record<string, unknown>>> }>("GET", "/api/openapi.json")
  ).body;
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      bodySchema: (operation.requestBody as { content: Record<string, { schema: Operation["bodySchema"] }> } | undefined)
        ?.content["application/json"]?.schema,
    })),
  );
});

afterAll(async () => {
  await fleet?.stop("test done");
  await testEnv?.cleanup();
});

const HUGE = "x".repeat(400_000);
const NUL = "a\u0000b";
const PATH_VALUES = [
  "00000000-0000-4000-8000-000000000000",
  "not-a-uuid",
  "%00",
  "..%2F..%2Fetc%2Fpasswd",
  "%F0%28%8C%BC",
  "1'%20or%20'1'%3D'1",
  "x".repeat(3000),
];
const QUERIES = ["", "?limit=abc&offset=-1", "?q=%00&kind[]=x&limit=99999999999999999999", `?name=${"y".repeat(5000)}`];
const RAW_BODIES = [
  "{",
  "not json",
  "null",
  "[]",
  '"a string"',
  "123",
  '{"a":',
  `${"[".repeat(5000)}${"]".repeat(5000)}`,
  '{"__proto__":{"polluted":true}}',
];

/** Objects aimed at the route's own fields when it declares them, plus generic ones. */
function objectBodies(operation: Operation): unknown[] {
  const fields = Object.entries(operation.bodySchema?.properties ?? {});
  const generic = [
    { name: NUL, email: NUL, password: NUL, model: NUL },
    { name: HUGE, email: HUGE, password: HUGE },
    { name: 123, kind: [], settings: "x", models: {} },
    { unknownField: true },
    { admin: { email: NUL, password: NUL } },
  ];
  const targeted = fields.flatMap(([name, schema]) => [
    { [name]: schema.type === "string" ? 12345 : "not-the-right-type" },
    { [name]: NUL },
    { [name]: HUGE },
    { [name]: { nested: { deeper: [NUL] } } },
    { [name]: null },
  ]);
  return [...generic, ...targeted];
}

interface Outcome {
  route: string;
  status: number;
  body: unknown;
}

async function send(method: string, path: string, body: string | undefined, auth: boolean): Promise<Outcome> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (auth && api.token !== null) headers.authorization = `Bearer ${api.token}`;
  const response = await fetch(`${consoleUrl}${path}`, {
    method,
    headers,
    redirect: "manual",
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Non-JSON answers are checked below (only redirects may have no JSON body).
  }
  return { route: `${method} ${path} ${body === undefined ? "" : body.slice(0, 80)}`, status: response.status, body: parsed };
}

function expectSane(outcome: Outcome): void {
  expect({ route: outcome.route, serverError: outcome.status >= 500 }).toEqual({ route: outcome.route, serverError: false });
  if (outcome.status >= 400) {
    expect({ route: outcome.route, body: outcome.body }).toEqual({
      route: outcome.route,
      body: {
        error: expect.objectContaining({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }),
      },
    });
  }
}

const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);

describe("fuzz pass over every console route", () => {
  it("covers the routes of every area", () => {
    const paths = new Set(operations.map((o) => o.path));
    for (const path of [
      "/api/admin/providers/{id}",
      "/api/admin/settings/{category}",
      "/api/admin/sso",
      "/api/keys",
      "/api/auth/login",
    ]) {
      expect(paths.has(path)).toBe(true);
    }
  });

  it("answers hostile path segments and query strings with 4xx, never 5xx", async () => {
    for (const operation of operations) {
      const values = operation.path.includes("{") ? PATH_VALUES : ["-"];
      for (const value of values) {
        for (const query of QUERIES) {
          const body = operation.method === "GET" || operation.method === "DELETE" ? undefined : "{}";
          expectSane(await send(operation.method, `${fill(operation.path, value)}${query}`, body, true));
        }
      }
    }
  });

  it("answers malformed, mistyped, NUL-laden, huge and unknown bodies with 4xx, never 5xx", async () => {
    for (const operation of operations.filter((o) => o.method !== "GET")) {
      const path = fill(operation.path, "00000000-0000-4000-8000-000000000000");
      const bodies = [...RAW_BODIES, ...objectBodies(operation).map((body) => JSON.stringify(body))];
      for (const body of bodies) {
        for (const auth of [true, false]) expectSane(await send(operation.method, path, body, auth));
      }
    }
  });

  it("refuses a NUL byte with the field named", async () => {
    // Earlier cases reach logout and "revoke all sessions", which end this admin's session: sign in again.
    api.token = (await api.call<{ accessToken: string }>("POST", "/api/auth/login", DEFAULT_ADMIN)).body.accessToken;
    const response = await api.call("POST", "/api/admin/providers", { name: NUL, kind: "openai" });
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: "invalid request: name: must not contain NUL characters",
        requestId: expect.any(String),
        details: { fields: { name: "must not contain NUL characters" } },
      },
    });
  });
});
