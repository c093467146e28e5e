/**
 * Limits hold exactly however many replicas run: two ai-proxy and two quota processes (plus one for admin-api and
 * key-service), requests spread over both gateways. 500 concurrent requests against a 100/min rule → exactly 100;
 * the same for a provider rule shared by many users; 50 concurrent streams against a budget with room for 5 → at
 * most 5 pass and the spend exceeds the cap by less than one request's cost.
 */
import { randomUUID } from "node:crypto";
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
let fake: FakeUpstream;
const processes: FleetProcess[] = [];
let gateways: FleetProcess[];
let admin: ConsoleClient;

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  fake = await startFakeUpstream({ kind: "openai", record: false });
  const control = await startFleetProcess({ env: testEnv.env, services: ["admin-api", "key-service"] });
  processes.push(control);
  admin = createConsoleClient(control.consoleUrl);
  await admin.initialize();
  // Providers first: an ai-proxy is ready only with a usable provider once setup is done.
  for (const [name, model] of [
    ["openai", null],
    ["shared", "shared-model"],
  ] as const) {
    const created = await admin.call("POST", "/api/admin/providers", {
      name,
      kind: "openai",
      baseUrl: fake.baseUrl,
      apiKey: fake.apiKey,
      ...(model === null ? {} : { models: [{ model, upstreamModel: "gpt-4o-mini" }] }),
    });
    expect(created.status).toBe(201);
  }
  // One after another: four processes starting at once on a busy machine can miss the readiness deadline.
  // The gateways wait for quota as long as it takes: on a loaded test machine a 2 s deadline would let requests
  // through unchecked (the edge's policy when quota is unreachable), which is not what this file measures.
  const env = { ...testEnv.env, QUOTA_CHECK_TIMEOUT_MS: "60000" };
  for (const service of ["quota", "quota", "ai-proxy", "ai-proxy"]) {
    processes.push(await startFleetProcess({ env, services: [service] }));
  }
  gateways = processes.slice(3);
}, 120_000);

afterAll(async () => {
  for (const process of processes) await process.stop();
  await fake?.close();
  await testEnv?.cleanup();
});

async function createKey(userId?: string): Promise<{ id: string; plaintext: string }> {
  const created = await admin.call<{ key: { id: string }; plaintext: string }>("POST", "/api/keys", {
    name: `k-${randomUUID().slice(0, 8)}`,
    ...(userId === undefined ? {} : { userId }),
  });
  expect(created.status).toBe(201);
  return { id: created.body.key.id, plaintext: created.body.plaintext };
}

/** A person who may hold keys (keys are only created for such people). */
async function createDeveloper(): Promise<string> {
  const created = await admin.call<{ user: { id: string } }>("POST", "/api/admin/users", {
    email: `dev-${randomUUID().slice(0, 8)}@example.com`,
    password: "Quota-exact-2024",
    role: "developer",
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.user.id;
}

async function put(path: string, body: unknown) {
  const response = await admin.call("PUT", path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

const client = (apiKey: string, index: number) =>
  new OpenAI({ apiKey, baseURL: `${(gateways[index % 2] as FleetProcess).gatewayUrl}/v1`, maxRetries: 0 });

/** Limits reach the edges through the rule index; wait until both gateways check a probe subject set after them. */
async function waitUntilBothGatewaysKnow() {
  const probe = await createKey();
  await put(`/api/admin/limits/api_key/${probe.id}/rules`, {
    rules: [{ surface: "ai_gateway", metric: "requests", windowSeconds: 604800, limit: 1_000_000 }],
  });
  for (const index of [0, 1]) {
    await waitFor(async () => {
      const { response } = await client(probe.plaintext, index)
        .chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "probe" }] })
        .withResponse();
      return response.headers.get("x-ratelimit-rule") !== null;
    });
  }
}

type Outcome = "ok" | "limited";

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    await run();
    return "ok";
  } catch (caught) {
    if (caught instanceof OpenAI.RateLimitError) return "limited";
    throw caught;
  }
}

describe("exact across two gateways and two quota replicas", () => {
  it("500 concurrent requests against a 100/min key rule: exactly 100 pass", async () => {
    const key = await createKey();
    await put(`/api/admin/limits/api_key/${key.id}/rules`, {
      rules: [{ surface: "ai_gateway", metric: "requests", windowSeconds: 60, limit: 100 }],
    });
    await waitUntilBothGatewaysKnow();
    const outcomes = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        outcome(() =>
          client(key.plaintext, i).chat.completions.create({
            model: "gpt-4o-mini",
            messages: [{ role: "user", content: `n${i}` }],
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(100);
    expect(outcomes.filter((o) => o === "limited")).toHaveLength(400);
  }, 120_000);

  it("a provider rule shared by many users: exactly 100 of 500 pass", async () => {
    const providers = await admin.call<{ providers: Array<{ id: string; name: string }> }>("GET", "/api/admin/providers");
    const shared = providers.body.providers.find((p) => p.name === "shared")?.id as string;
    const keys = await Promise.all(Array.from({ length: 10 }, async () => createKey(await createDeveloper())));
    await put(`/api/admin/limits/provider/${shared}/rules`, {
      rules: [{ surface: "ai_gateway", metric: "requests", windowSeconds: 60, limit: 100 }],
    });
    await waitUntilBothGatewaysKnow();
    const outcomes = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        outcome(() =>
          client((keys[i % keys.length] as { plaintext: string }).plaintext, i).chat.completions.create({
            model: "shared-model",
            messages: [{ role: "user", content: `n${i}` }],
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(100);
  }, 120_000);

  it("50 concurrent streams against a budget with room for 5: at most 5 pass, overshoot under one request", async () => {
    const key = await createKey();
    // Each request reserves its prompt estimate + max_tokens (1000) weighted tokens: 5,000 is room for five.
    await put(`/api/admin/limits/api_key/${key.id}/budgets`, { budgets: [{ period: "daily", unit: "tokens", limit: 5000 }] });
    await waitUntilBothGatewaysKnow();
    fake.reset();
    for (let i = 0; i < 50; i++) fake.script({ text: "streamed answer", usage: { outputTokens: 1000 }, delayMs: 20 });
    let largestRequest = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        outcome(async () => {
          const stream = await client(key.plaintext, i).chat.completions.create({
            model: "gpt-4o-mini",
            max_tokens: 1000,
            stream: true,
            stream_options: { include_usage: true },
            messages: [{ role: "user", content: "write" }],
          });
          for await (const chunk of stream) {
            if (chunk.usage) largestRequest = Math.max(largestRequest, chunk.usage.prompt_tokens + chunk.usage.completion_tokens);
          }
        }),
      ),
    );
    const passed = outcomes.filter((o) => o === "ok").length;
    expect(passed).toBeLessThanOrEqual(5);
    expect(passed).toBeGreaterThan(0);
    fake.reset();
    // Every reservation settles against the real usage post-flight.
    const budget = await waitFor(async () => {
      const usage = await admin.call<{ budgets: Array<{ used: number; reserved: number }> }>(
        "GET",
        `/api/admin/limits/api_key/${key.id}/usage`,
      );
      const found = usage.body.budgets[0];
      return found !== undefined && found.reserved === 0 && found.used === passed * largestRequest ? found : null;
    });
    expect(budget.used - 5000).toBeLessThan(largestRequest);
  }, 120_000);
});
