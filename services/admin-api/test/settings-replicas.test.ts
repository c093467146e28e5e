/**
 * Settings across processes: a change made on one admin-api replica is validated per key, then reaches a second
 * admin-api replica and a separate ai-proxy through the config KV — shown by the egress policy, which both enforce
 * (the second replica refuses a loopback provider at save, the gateway refuses to connect to its loopback upstream).
 */
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
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let testEnv: TestEnvironment;
let upstream: FakeUpstream;
let first: FleetProcess;
let second: FleetProcess;
let gateway: FleetProcess;
let apiA: ConsoleClient;
let apiB: ConsoleClient;
let openai: OpenAI;
const requestId = expect.any(String);

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  upstream = await startFakeUpstream("openai");
  first = await startFleetProcess({ env: testEnv.env, services: ["key-service", "quota", "admin-api"] });
  second = await startFleetProcess({ env: testEnv.env, services: ["admin-api"] });
  gateway = await startFleetProcess({ env: testEnv.env, services: ["ai-proxy"] });
  apiA = createConsoleClient(first.consoleUrl);
  await apiA.initialize();
  apiB = createConsoleClient(second.consoleUrl);
  apiB.token = apiA.token;
  const created = await apiA.call("POST", "/api/admin/providers", {
    name: "local",
    kind: "openai_compatible",
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
    models: [{ model: "local-model", upstreamModel: "gpt-4o-mini" }],
  });
  expect(created.status).toBe(201);
  const key = await apiA.call<{ plaintext: string }>("POST", "/api/keys", { name: "replicas" });
  openai = new OpenAI({ apiKey: key.body.plaintext, baseURL: `${gateway.gatewayUrl}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  for (const fleet of [gateway, second, first]) await fleet?.stop();
  await upstream?.close();
  await testEnv?.cleanup();
});

const chat = () => openai.chat.completions.create({ model: "local-model", messages: [{ role: "user", content: "hi" }] });

describe("settings validation", () => {
  it("names every bad key in a PATCH, with its category", async () => {
    const response = await apiA.call("PATCH", "/api/admin/settings/auth", {
      lockoutThreshold: "five",
      lockoutBaseSeconds: 0,
      bogus: true,
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.stringMatching(/^invalid settings: /),
        requestId,
        details: {
          fields: {
            "auth.lockoutThreshold": expect.stringContaining("number"),
            "auth.lockoutBaseSeconds": expect.stringContaining("1"),
            "auth.bogus": expect.any(String),
          },
        },
      },
    });
  });

  it("checks rules across keys and known roles", async () => {
    const role = await apiA.call("PATCH", "/api/admin/settings/auth", { ssoDefaultRole: "overlord" });
    expect(role.body).toEqual({
      error: {
        code: "validation_failed",
        message: "invalid settings: must be one of super_admin, admin, team_manager, developer, viewer",
        requestId,
        details: { fields: { "auth.ssoDefaultRole": "must be one of super_admin, admin, team_manager, developer, viewer" } },
      },
    });
    const empty = await apiA.call("PATCH", "/api/admin/settings/auth", {});
    expect(empty.body).toEqual({ error: { code: "bad_request", message: "name at least one setting to change", requestId } });
    const category = await apiA.call("PATCH", "/api/admin/settings/nonsense", { a: 1 });
    expect(category.status).toBe(400);
  });

  it("changes one key and leaves the others of its category alone", async () => {
    const before = (await apiA.call<{ auth: Record<string, unknown> }>("GET", "/api/admin/settings/auth")).body.auth;
    const changed = await apiA.call<{ settings: { auth: Record<string, unknown> } }>("PATCH", "/api/admin/settings/auth", {
      lockoutThreshold: 7,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.settings.auth).toEqual({ ...before, lockoutThreshold: 7 });
    const onB = await apiB.call<{ auth: Record<string, unknown> }>("GET", "/api/admin/settings/auth");
    expect(onB.body.auth).toEqual({ ...before, lockoutThreshold: 7 });
  });
});

describe("a change reaches every replica", () => {
  it("turns private upstreams off on replica A; replica B and the gateway enforce it", async () => {
    await waitFor(() => chat().catch(() => null), { what: "the gateway to route local-model" });
    const off = await apiA.call("PATCH", "/api/admin/settings/security", { allowPrivateUpstreams: false });
    expect(off.status).toBe(200);

    const refusedAtSave = await waitFor(
      async () => {
        const response = await apiB.call("POST", "/api/admin/providers", {
          name: "another-local",
          kind: "openai_compatible",
          baseUrl: "http://127.0.0.1:11434/v1",
        });
        return response.status === 400 ? response : null;
      },
      { what: "replica B to refuse a loopback provider" },
    );
    const reason = "baseUrl 127.0.0.1 is loopback and private upstreams are not allowed (security.allowPrivateUpstreams)";
    expect(refusedAtSave.body).toEqual({
      error: {
        code: "validation_failed",
        message: `invalid provider: ${reason}`,
        requestId,
        details: { fields: { baseUrl: reason } },
      },
    });

    // The provider saved earlier still points at loopback: the gateway refuses when it connects.
    const refusedAtConnect = await waitFor(
      () =>
        chat().then(
          () => null,
          (caught: InstanceType<typeof OpenAI.APIError>) => caught,
        ),
      { what: "the gateway to refuse the loopback upstream" },
    );
    expect(refusedAtConnect.status).toBe(502);
    // The caller learns only that the upstream is unreachable by policy; the address stays in the gateway's log.
    expect(refusedAtConnect.error).toMatchObject({ message: "cannot reach the upstream provider (ERR_EGRESS_DENIED)" });

    await apiA.call("PATCH", "/api/admin/settings/security", { allowPrivateUpstreams: true });
    const reply = await waitFor(() => chat().catch(() => null), { what: "the gateway to route local-model again" });
    expect(reply.choices[0]?.message.role).toBe("assistant");
  });
});
