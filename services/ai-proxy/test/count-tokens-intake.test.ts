/**
 * Token counting goes through the same intake admission as generation: Anthropic's `/v1/messages/count_tokens` and
 * Gemini's `:countTokens` take one of the key's concurrency slots and charge their body against the in-flight body
 * budget, and a refusal comes back in the caller's API shape.
 */
import { type FakeUpstream, type GatewayScenario, startFakeUpstream, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addFakeProvider, createModel, putGatewaySettings, waitForRetrySetting } from "./support/routing-admin.js";

const MB = 1024 * 1024;
// The smallest budget the settings allow; a body is charged four times its wire size, so ~300 KB does not fit.
const SETTINGS = { perKeyConcurrency: 1, inFlightBodyBudgetBytes: 1 * MB, retryMaxAttempts: 3 };

let scenario: GatewayScenario;
let gateway: string;
let key: string;
let claude: FakeUpstream;
let probe: FakeUpstream;

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["anthropic", "gemini"] });
  gateway = scenario.fleet.gatewayUrl;
  claude = scenario.fake("anthropic");
  probe = await startFakeUpstream("openai");
  await scenario.addProvider("anthropic");
  await scenario.addProvider("gemini");
  await createModel(scenario.admin, "probe", [
    { providerId: await addFakeProvider(scenario.admin, "probe", probe), upstreamModel: "gpt-4o" },
  ]);
  key = await scenario.createKey({ name: "counting" });
  await putGatewaySettings(scenario.admin, SETTINGS);
  await waitForRetrySetting(gateway, key, "probe", probe, SETTINGS.retryMaxAttempts);
});

afterAll(async () => {
  await scenario?.close();
  await probe?.close();
});

function anthropicCount(text: string) {
  return post("/v1/messages/count_tokens", {
    model: "claude-haiku-5-5",
    messages: [{ role: "user", content: text }],
  });
}

function geminiCount(text: string) {
  return post("/v1beta/models/gemini-2.5-flash:countTokens", { contents: [{ role: "user", parts: [{ text }] }] });
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": key, "anthropic-version": "2023-06-01", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const BUDGET_MESSAGE = "the gateway is at its in-flight request memory budget; retry shortly";
const CONCURRENCY_MESSAGE = "too many concurrent requests for this API key (limit 1)";

describe("the in-flight body budget", () => {
  it("refuses a count_tokens body over it in Anthropic's error shape, and counts one that fits", async () => {
    expect(await anthropicCount("x".repeat(300_000))).toEqual({
      status: 503,
      json: { type: "error", error: { type: "overloaded_error", message: BUDGET_MESSAGE } },
    });
    const small = await anthropicCount("count these words please");
    expect(small.status).toBe(200);
    expect(small.json.input_tokens).toBeGreaterThan(0);
  });

  it("refuses a Gemini countTokens body over it in Google's error shape, and counts one that fits", async () => {
    expect(await geminiCount("x".repeat(300_000))).toEqual({
      status: 503,
      json: { error: { code: 503, message: BUDGET_MESSAGE, status: "UNAVAILABLE" } },
    });
    const small = await geminiCount("count these words please");
    expect(small.status).toBe(200);
    expect(small.json.totalTokens).toBeGreaterThan(0);
  });
});

describe("per-key concurrency", () => {
  it("refuses counting while the key's only slot is taken, in each caller's shape; counting frees its slot", async () => {
    claude.reset();
    claude.script({ firstByteDelayMs: 3000 });
    const holding = post("/v1/messages", {
      model: "claude-haiku-5-5",
      max_tokens: 10,
      messages: [{ role: "user", content: "hold the slot" }],
    });
    await waitFor(() => claude.requests.some((r) => r.path === "/v1/messages"), {
      what: "the slow generation request to reach the upstream",
    });
    expect(await anthropicCount("count me")).toEqual({
      status: 429,
      json: { type: "error", error: { type: "rate_limit_error", message: CONCURRENCY_MESSAGE } },
    });
    expect(await geminiCount("count me")).toEqual({
      status: 429,
      json: { error: { code: 429, message: CONCURRENCY_MESSAGE, status: "RESOURCE_EXHAUSTED" } },
    });
    expect((await holding).status).toBe(200);
    // With a limit of 1, back-to-back counts pass only if each one gives its slot back.
    for (let i = 0; i < 3; i++) {
      expect((await anthropicCount("count me")).status).toBe(200);
      expect((await geminiCount("count me")).status).toBe(200);
    }
  });
});
