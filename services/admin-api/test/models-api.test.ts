/**
 * /api/admin/models: both create forms, route validation with whole error bodies, route replacement that keeps the
 * ids (and so the breaker state) of routes that stay, soft delete that frees the name, and the routing read-model
 * every ai-proxy replica loads. No ai-proxy runs here, so breaker state reads "unknown".
 */
import { keyService } from "@thinkwatch/key-service";
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  freePort,
  type TestEnvironment,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApiService } from "../src/service.js";

let testEnv: TestEnvironment;
let fleet: Fleet;
let api: ConsoleClient;
let primary: string;
let backup: string;

type Model = {
  id: string;
  model: string;
  providerId: string;
  upstreamModel: string;
  isActive: boolean;
  routes: Array<Record<string, unknown> & { id: string }>;
};

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  const port = await freePort();
  fleet = await startFleet({ services: [keyService, adminApiService], env: { ...testEnv.env, CONSOLE_PORT: String(port) } });
  api = createConsoleClient(`http://127.0.0.1:${port}`);
  await api.initialize();
  const provider = async (name: string) =>
    (
      await api.call<{ provider: { id: string } }>("POST", "/api/admin/providers", {
        name,
        kind: "openai",
        baseUrl: "http://127.0.0.1:9/v1",
        apiKey: "sk-test",
      })
    ).body.provider.id;
  primary = await provider("primary");
  backup = await provider("backup");
});

afterAll(async () => {
  await fleet?.stop("test done");
  await testEnv?.cleanup();
});

const requestId = expect.any(String);

describe("creating models", () => {
  it("takes the single-provider form as one route with the defaults", async () => {
    const created = await api.call<{ model: Model }>("POST", "/api/admin/models", { model: "solo", providerId: primary });
    expect(created.status).toBe(201);
    expect(created.body.model).toEqual({
      id: expect.any(String),
      model: "solo",
      providerId: primary,
      upstreamModel: "solo",
      isActive: true,
      routes: [
        {
          id: expect.any(String),
          providerId: primary,
          providerName: "primary",
          upstreamModel: "solo",
          weight: 1,
          priority: 0,
          enabled: true,
          rpmLimit: null,
          tpmLimit: null,
        },
      ],
    });
  });

  it("takes routes with weights, priorities and caps", async () => {
    const created = await api.call<{ model: Model }>("POST", "/api/admin/models", {
      model: "pair",
      routes: [
        { providerId: primary, upstreamModel: "gpt-4o", weight: 3, rpmLimit: 100 },
        { providerId: backup, upstreamModel: "gpt-4o-mini", priority: 1, tpmLimit: 50_000, enabled: false },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.model.routes).toMatchObject([
      { providerName: "primary", upstreamModel: "gpt-4o", weight: 3, priority: 0, rpmLimit: 100, tpmLimit: null, enabled: true },
      { providerName: "backup", upstreamModel: "gpt-4o-mini", weight: 1, priority: 1, tpmLimit: 50_000, enabled: false },
    ]);
    const listed = await api.call<{ models: Model[] }>("GET", "/api/admin/models");
    const pair = listed.body.models.find((m) => m.model === "pair");
    expect(pair?.routes.map((r) => r.health)).toEqual([
      { state: "unknown", failures: 0, requests: 0, openedAt: null, requestsThisMinute: 0, tokensThisMinute: 0 },
      { state: "unknown", failures: 0, requests: 0, openedAt: null, requestsThisMinute: 0, tokensThisMinute: 0 },
    ]);
  });

  it.each([
    [
      "both forms at once",
      { model: "x", providerId: "5b4c3f8e-1d2a-4b6c-9e8f-0a1b2c3d4e5f", routes: [] },
      "invalid request: routes: routes needs at least one route; (body): give either providerId (one route) or routes, not both",
      {
        routes: "routes needs at least one route",
        "(body)": "give either providerId (one route) or routes, not both",
      },
    ],
    [
      "neither form",
      { model: "x" },
      "invalid request: (body): give either providerId (one route) or routes, not both",
      { "(body)": "give either providerId (one route) or routes, not both" },
    ],
    [
      "a negative weight and a fractional priority",
      { model: "x", routes: [{ providerId: "5b4c3f8e-1d2a-4b6c-9e8f-0a1b2c3d4e5f", weight: -1, priority: 0.5 }] },
      "invalid request: routes.0.weight: weight must be at least 0; routes.0.priority: priority must be a whole number",
      { "routes.0.weight": "weight must be at least 0", "routes.0.priority": "priority must be a whole number" },
    ],
    [
      "an unknown field",
      { model: "x", routes: [{ providerId: "5b4c3f8e-1d2a-4b6c-9e8f-0a1b2c3d4e5f", cost: 1 }] },
      'invalid request: routes.0.cost: Invalid key: Expected never but received "cost"',
      { "routes.0.cost": 'Invalid key: Expected never but received "cost"' },
    ],
  ])("refuses %s with a 400", async (_what, body, message, fields) => {
    const refused = await api.call("POST", "/api/admin/models", body);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: { code: "validation_failed", message, requestId, details: { fields } } });
  });

  it("refuses a route to a provider that does not exist", async () => {
    const refused = await api.call("POST", "/api/admin/models", {
      model: "ghost",
      routes: [{ providerId: primary }, { providerId: "5b4c3f8e-1d2a-4b6c-9e8f-0a1b2c3d4e5f" }],
    });
    expect(refused.body).toEqual({
      error: {
        code: "validation_failed",
        message: "invalid routes: no provider with id 5b4c3f8e-1d2a-4b6c-9e8f-0a1b2c3d4e5f",
        requestId,
        details: { fields: { "routes.1.providerId": "no provider with id 5b4c3f8e-1d2a-4b6c-9e8f-0a1b2c3d4e5f" } },
      },
    });
  });

  it("refuses a name that is taken", async () => {
    const refused = await api.call("POST", "/api/admin/models", { model: "solo", providerId: backup });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: { code: "conflict", message: "the model 'solo' is already registered", requestId } });
  });
});

describe("changing and deleting models", () => {
  it("replaces routes, keeping the id of a route that stays", async () => {
    const listed = await api.call<{ models: Model[] }>("GET", "/api/admin/models");
    const pair = listed.body.models.find((m) => m.model === "pair") as Model;
    const kept = pair.routes[0]?.id;
    const updated = await api.call<{ model: Model }>("PATCH", `/api/admin/models/${pair.id}`, {
      routes: [
        { providerId: backup, upstreamModel: "gpt-4.1" },
        { providerId: primary, upstreamModel: "gpt-4o", weight: 5, priority: 2 },
      ],
    });
    expect(updated.status).toBe(200);
    expect(updated.body.model.routes).toMatchObject([
      { providerName: "backup", upstreamModel: "gpt-4.1", weight: 1, priority: 0 },
      { id: kept, providerName: "primary", upstreamModel: "gpt-4o", weight: 5, priority: 2, rpmLimit: null },
    ]);
    expect(updated.body.model.providerId).toBe(backup);
  });

  it("turns a model off and on", async () => {
    const solo = (await api.call<{ models: Model[] }>("GET", "/api/admin/models")).body.models.find((m) => m.model === "solo");
    const off = await api.call<{ model: Model }>("PATCH", `/api/admin/models/${solo?.id}`, { isActive: false });
    expect(off.body.model.isActive).toBe(false);
    const empty = await api.call("PATCH", `/api/admin/models/${solo?.id}`, {});
    expect(empty.body).toEqual({
      error: {
        code: "validation_failed",
        message: "invalid request: (body): nothing to change: give routes or isActive",
        requestId,
        details: { fields: { "(body)": "nothing to change: give routes or isActive" } },
      },
    });
  });

  it("soft-deletes a model; the name can be registered again; unknown ids are 404", async () => {
    const solo = (await api.call<{ models: Model[] }>("GET", "/api/admin/models")).body.models.find((m) => m.model === "solo");
    expect((await api.call("DELETE", `/api/admin/models/${solo?.id}`)).status).toBe(204);
    expect((await api.call("GET", `/api/admin/models/${solo?.id}`)).body).toEqual({
      error: { code: "not_found", message: `no model with id ${solo?.id}`, requestId },
    });
    expect((await api.call("DELETE", `/api/admin/models/${solo?.id}`)).status).toBe(404);
    expect((await api.call("POST", "/api/admin/models", { model: "solo", providerId: backup })).status).toBe(201);
    expect((await api.call("PATCH", "/api/admin/models/not-a-uuid", { isActive: true })).body).toEqual({
      error: { code: "validation_failed", message: "model id must be a UUID", requestId },
    });
  });
});
