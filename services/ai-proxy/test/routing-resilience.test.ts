/**
 * Routing resilience on one fleet, against fault-injecting fakes: retries and their backoff, Retry-After, the total
 * retry time budget, fallback to the next route, weighted selection, disabled routes, per-route request and token
 * caps, timeouts (connect, first byte, idle, total) ending in the caller's error shape (official SDKs), and a client
 * disconnect cancelling the upstream request.
 */
import Anthropic from "@anthropic-ai/sdk";
import {
  type FakeUpstream,
  type GatewayScenario,
  startFakeUpstream,
  startGatewayScenario,
  startUnansweredListener,
  type UnansweredListener,
  waitFor,
} from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addFakeProvider, chat, createModel, putGatewaySettings, waitForRetrySetting } from "./support/routing-admin.js";

const SETTINGS = {
  retryMaxAttempts: 3,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 400,
  retryBudgetMs: 20_000,
  connectTimeoutMs: 1000,
  firstByteTimeoutMs: 500,
  idleTimeoutMs: 500,
  totalTimeoutMs: 4000,
  // These tests fail routes on purpose; the breaker has its own test (breaker-fleet.test.ts).
  breakerFailureThreshold: 10_000,
};

let scenario: GatewayScenario;
let gateway: string;
let key: string;
let a: FakeUpstream;
let b: FakeUpstream;
let probe: FakeUpstream;
let claude: FakeUpstream;
let providerA: string;
let providerB: string;
let unanswered: UnansweredListener;

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["anthropic"] });
  gateway = scenario.fleet.gatewayUrl;
  [a, b, probe] = await Promise.all([startFakeUpstream("openai"), startFakeUpstream("openai"), startFakeUpstream("openai")]);
  claude = scenario.fake("anthropic");
  providerA = await addFakeProvider(scenario.admin, "upstream-a", a);
  providerB = await addFakeProvider(scenario.admin, "upstream-b", b);
  const providerProbe = await addFakeProvider(scenario.admin, "probe", probe);
  const providerClaude = await addFakeProvider(scenario.admin, "claude", claude);
  await createModel(scenario.admin, "single", [{ providerId: providerA, upstreamModel: "gpt-4o" }]);
  await createModel(scenario.admin, "fallback", [
    { providerId: providerA, upstreamModel: "gpt-4o", priority: 0 },
    { providerId: providerB, upstreamModel: "gpt-4o", priority: 1 },
  ]);
  await createModel(scenario.admin, "weighted", [
    { providerId: providerA, upstreamModel: "gpt-4o", weight: 3 },
    { providerId: providerB, upstreamModel: "gpt-4o", weight: 1 },
  ]);
  await createModel(scenario.admin, "capped", [
    { providerId: providerA, upstreamModel: "gpt-4o", priority: 0, rpmLimit: 2 },
    { providerId: providerB, upstreamModel: "gpt-4o", priority: 1 },
  ]);
  await createModel(scenario.admin, "probe", [{ providerId: providerProbe, upstreamModel: "gpt-4o" }]);
  await createModel(scenario.admin, "claude-stall", [{ providerId: providerClaude, upstreamModel: "claude-haiku-5-5" }]);
  await createModel(scenario.admin, "token-capped", [
    { providerId: providerA, upstreamModel: "gpt-4o", priority: 0, tpmLimit: 50 },
    { providerId: providerB, upstreamModel: "gpt-4o", priority: 1 },
  ]);
  // The disabled route has the better priority: chosen, it would serve every request.
  await createModel(scenario.admin, "one-disabled", [
    { providerId: providerA, upstreamModel: "gpt-4o", priority: 0, enabled: false },
    { providerId: providerB, upstreamModel: "gpt-4o", priority: 1 },
  ]);
  unanswered = await startUnansweredListener();
  const silent = await scenario.admin.call<{ provider: { id: string } }>("POST", "/api/admin/providers", {
    name: "never-connects",
    kind: "openai",
    baseUrl: `${unanswered.url}/v1`,
    apiKey: "sk-never-used",
  });
  await createModel(scenario.admin, "never-connects", [{ providerId: silent.body.provider.id, upstreamModel: "gpt-4o" }]);
  key = await scenario.createKey({ name: "routing" });
  await putGatewaySettings(scenario.admin, SETTINGS);
  await waitForRetrySetting(gateway, key, "probe", probe, SETTINGS.retryMaxAttempts);
});

afterAll(async () => {
  await scenario?.close();
  await Promise.all([a?.close(), b?.close(), probe?.close(), unanswered?.close()]);
});

function resetFakes() {
  for (const fake of [a, b, claude]) fake.reset();
}

/** Waits, if need be, until at least `seconds` are left in the current minute (route caps count per minute). */
async function awayFromMinuteEnd(seconds: number) {
  await waitFor(() => Date.now() % 60_000 < 60_000 - seconds * 1000, {
    what: `at least ${seconds} s left in the minute`,
    timeoutMs: seconds * 1000 + 5000,
    intervalMs: 200,
  });
}

const gaps = (fake: FakeUpstream) => fake.requests.slice(1).map((r, i) => r.receivedAt - (fake.requests[i]?.receivedAt ?? 0));

describe("retries", () => {
  it("retries 5xx with exponential backoff and full jitter, then succeeds", async () => {
    resetFakes();
    a.failNext(3, { error: { status: 503 } });
    const answer = await chat(gateway, key, "single");
    expect(answer.status).toBe(200);
    expect(a.requests).toHaveLength(4);
    // Full jitter: retry n waits a uniform draw in [0, min(max, base·2^(n-1))) = [0,100), [0,200), [0,400); the
    // slack covers scheduling on a loaded machine (each gap also holds one upstream round trip).
    const slack = 600;
    const [first, second, third] = gaps(a);
    expect(first).toBeLessThan(100 + slack);
    expect(second).toBeLessThan(200 + slack);
    expect(third).toBeLessThan(400 + slack);
  });

  it("gives up after retryMaxAttempts and answers with the upstream's error in the caller's shape", async () => {
    resetFakes();
    a.failNext(4, { error: { status: 500, message: "upstream exploded" } });
    const answer = await chat(gateway, key, "single");
    expect(a.requests).toHaveLength(1 + SETTINGS.retryMaxAttempts);
    expect(answer.status).toBe(502);
    expect(answer.json).toEqual({
      error: {
        message: "upstream exploded",
        type: "server_error",
        param: null,
        code: "upstream_error",
      },
    });
  });

  it.each([
    ["retry-after-ms", "700", 700],
    ["retry-after", "1", 1000],
  ])("honours %s on a 429", async (header, value, waitMs) => {
    resetFakes();
    a.failNext(1, { error: { status: 429, headers: { [header]: value } } });
    const answer = await chat(gateway, key, "single");
    expect(answer.status).toBe(200);
    expect(a.requests).toHaveLength(2);
    expect(gaps(a)[0]).toBeGreaterThanOrEqual(waitMs - 5);
  });

  it.each([408, 502, 504])("retries HTTP %i", async (status) => {
    resetFakes();
    a.failNext(1, { error: { status } });
    expect((await chat(gateway, key, "single")).status).toBe(200);
    expect(a.requests).toHaveLength(2);
  });

  it.each([400, 401, 404, 422])("does not retry HTTP %i", async (status) => {
    resetFakes();
    a.failNext(1, { error: { status } });
    expect((await chat(gateway, key, "single")).status).not.toBe(200);
    expect(a.requests).toHaveLength(1);
  });

  it("retries a connection reset", async () => {
    resetFakes();
    a.failNext(2, { resetConnection: true });
    expect((await chat(gateway, key, "single")).status).toBe(200);
    expect(a.requests).toHaveLength(3);
  });

  it("stops retrying when the next wait would pass retryBudgetMs, though attempts are left", async () => {
    // A PUT replaces the gateway settings: the others stay as the suite set them.
    const budget = { ...SETTINGS, retryMaxAttempts: 10, retryBudgetMs: 1500 };
    // Ten retries with 1 ms waits go through only once the new settings are in force (3 before).
    await applySettings(budget, async () => {
      probe.reset();
      probe.failNext(5, { error: { status: 429, headers: { "retry-after-ms": "1" } } });
      return (await chat(gateway, key, "probe")).status === 200;
    });
    try {
      resetFakes();
      a.failNext(11, { error: { status: 503, message: "still down", headers: { "retry-after-ms": "400" } } });
      const started = Date.now();
      const answer = await chat(gateway, key, "single");
      const elapsed = Date.now() - started;
      // Attempts at ~0, ~400, ~800 and ~1,200 ms; the wait after the fourth would end past 1,500 ms, so the gateway
      // answers then (three attempts if round trips took over 100 ms on a loaded machine). Without the budget: 11.
      expect(a.requests.length).toBeGreaterThanOrEqual(3);
      expect(a.requests.length).toBeLessThanOrEqual(4);
      // The last attempt starts inside the budget; only its own round trip may end after it.
      expect(elapsed).toBeLessThan(budget.retryBudgetMs + 500);
      expect(answer.status).toBe(502);
      expect(answer.json).toEqual({
        error: { message: "still down", type: "server_error", param: null, code: "upstream_error" },
      });
    } finally {
      // Back to three retries: four failures with 1 ms waits are no longer retried through.
      await applySettings(SETTINGS, async () => {
        probe.reset();
        probe.failNext(4, { error: { status: 429, headers: { "retry-after-ms": "1" } } });
        return (await chat(gateway, key, "probe")).status === 429;
      });
      probe.reset();
    }
  });
});

/** Saves gateway settings and polls `applied` until the gateway runs with them. */
async function applySettings(values: Record<string, unknown>, applied: () => Promise<boolean>) {
  await putGatewaySettings(scenario.admin, values);
  await waitFor(applied, { what: "the gateway settings to apply", timeoutMs: 20_000, intervalMs: 100 });
}

describe("fallback", () => {
  it("moves to the next route when the first fails before any byte reached the client", async () => {
    resetFakes();
    a.failNext(1, { resetConnection: true });
    const answer = await chat(gateway, key, "fallback");
    expect(answer.status).toBe(200);
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
  });

  it("falls back at once instead of waiting out the first route's Retry-After", async () => {
    resetFakes();
    a.failNext(1, { error: { status: 429, headers: { "retry-after": "3" } } });
    expect((await chat(gateway, key, "fallback")).status).toBe(200);
    expect(b.requests).toHaveLength(1);
    expect((b.requests[0]?.receivedAt ?? 0) - (a.requests[0]?.receivedAt ?? 0)).toBeLessThan(1000);
  });

  it("falls back on a 503 and on a body cut short", async () => {
    resetFakes();
    a.failNext(1, { error: { status: 503 } });
    a.script({ dieMidStreamAfterChunks: 0 });
    expect((await chat(gateway, key, "fallback")).status).toBe(200);
    expect((await chat(gateway, key, "fallback")).status).toBe(200);
    expect(a.requests).toHaveLength(2);
    expect(b.requests).toHaveLength(2);
  });

  it("skips a route at its requests-per-minute cap instead of failing", async () => {
    resetFakes();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await chat(gateway, key, "capped")).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    // The cap is per minute: if the minute turned during the loop, the first route took up to two more.
    expect(a.requests.length).toBeGreaterThanOrEqual(2);
    expect(a.requests.length + b.requests.length).toBe(4);
    expect(b.requests.length).toBeGreaterThanOrEqual(1);
  });

  it("skips a route whose tokens this minute reached its tokens-per-minute cap", async () => {
    await awayFromMinuteEnd(20);
    resetFakes();
    a.script({ usage: { inputTokens: 40, outputTokens: 40 } });
    expect((await chat(gateway, key, "token-capped")).status).toBe(200);
    expect(a.requests).toHaveLength(1);
    // The 80 tokens are counted after the answer (not on its path): poll until the next request goes elsewhere.
    await waitFor(async () => (await chat(gateway, key, "token-capped")).status === 200 && b.requests.length > 0, {
      what: "the capped route to be skipped",
    });
    const onA = a.requests.length;
    for (let i = 0; i < 5; i++) expect((await chat(gateway, key, "token-capped")).status).toBe(200);
    expect(a.requests).toHaveLength(onA);
    expect(b.requests.length).toBeGreaterThanOrEqual(6);
  });

  it("never chooses a disabled route, even with the best priority", async () => {
    resetFakes();
    for (let i = 0; i < 10; i++) expect((await chat(gateway, key, "one-disabled")).status).toBe(200);
    expect(a.requests).toHaveLength(0);
    expect(b.requests).toHaveLength(10);
  });
});

describe("weighted selection", () => {
  it("splits 1,000 requests 3:1 within tolerance", async () => {
    resetFakes();
    const client = new OpenAI({ baseURL: `${gateway}/v1`, apiKey: key, maxRetries: 0 });
    let next = 0;
    const worker = async () => {
      while (next < 1000) {
        const id = `request-${next++}`;
        const completion = await client.chat.completions.create({ model: "weighted", messages: [{ role: "user", content: id }] });
        expect(completion.choices[0]?.finish_reason).toBe("stop");
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
    // Each request's first pick (a request retried after a timeout on a loaded machine is picked again, so later
    // arrivals of the same request are not the selection being measured).
    const firstPick = new Map<string, { route: string; at: number }>();
    for (const [route, fake] of [["a", a] as const, ["b", b] as const]) {
      for (const request of fake.requests) {
        const id = JSON.stringify(request.body).match(/request-\d+/)?.[0] ?? "";
        const seen = firstPick.get(id);
        if (seen === undefined || request.receivedAt < seen.at) firstPick.set(id, { route, at: request.receivedAt });
      }
    }
    expect(firstPick.size).toBe(1000);
    const toA = [...firstPick.values()].filter((p) => p.route === "a").length;
    // Expected 750 / 250; the standard deviation is ~14, so ±50 is over 3.5 sigma.
    expect(Math.abs(toA - 750)).toBeLessThanOrEqual(50);
  }, 300_000);
});

describe("timeouts", () => {
  it("ends a stall before the first byte at the first-byte timeout, in OpenAI's error shape (openai SDK)", async () => {
    resetFakes();
    for (let i = 0; i <= SETTINGS.retryMaxAttempts; i++) a.script({ firstByteDelayMs: 5000 });
    const client = new OpenAI({ baseURL: `${gateway}/v1`, apiKey: key, maxRetries: 0 });
    const started = Date.now();
    const failure = await client.chat.completions
      .create({ model: "single", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(504);
    expect(error.error).toEqual({
      message: "the upstream provider did not answer in time: first byte timeout (500 ms)",
      type: "server_error",
      param: null,
      code: "upstream_timeout",
    });
    // Every attempt waited the timeout once; none waited for the fake's 5 s.
    expect(a.requests).toHaveLength(1 + SETTINGS.retryMaxAttempts);
    expect(elapsed).toBeGreaterThanOrEqual(4 * 500);
    expect(elapsed).toBeLessThan(4 * 500 + 3 * 400 + 1500);
  });

  it("ends a connect that never completes at the connect timeout, in OpenAI's error shape (openai SDK)", async () => {
    const client = new OpenAI({ baseURL: `${gateway}/v1`, apiKey: key, maxRetries: 0 });
    const started = Date.now();
    const failure = await client.chat.completions
      .create({ model: "never-connects", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(504);
    expect(error.error).toEqual({
      message: "the upstream provider did not answer in time: connect timeout (1000 ms)",
      type: "server_error",
      param: null,
      code: "upstream_timeout",
    });
    // Each of the four attempts waited the connect timeout, plus backoff between them (at most 100 + 200 + 400 ms).
    expect(elapsed).toBeGreaterThanOrEqual(4 * 1000);
    expect(elapsed).toBeLessThan(4 * 1000 + 700 + 2000);
  });

  it("ends a stream still dripping at the total timeout with Anthropic's error event (Anthropic SDK)", async () => {
    resetFakes();
    // Every gap (300 ms) is under the idle timeout; the whole stream (~9 s) is not under the total one.
    claude.script({ text: Array.from({ length: 30 }, (_, i) => `w${i}`).join(" "), delayMs: 300 });
    const client = new Anthropic({ baseURL: gateway, apiKey: key, maxRetries: 0 });
    const started = Date.now();
    let text = "";
    const failure = await (async () => {
      const stream = await client.messages.create({
        model: "claude-stall",
        max_tokens: 50,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      });
      for await (const event of stream) {
        if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
      }
    })().catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: "error",
      error: { type: "api_error", message: "the upstream provider did not finish within 4000 ms" },
    });
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain("w29");
    expect(elapsed).toBeGreaterThanOrEqual(4000);
    expect(elapsed).toBeLessThan(4000 + 2000);
    expect(claude.requests).toHaveLength(1);
  });

  it("ends a stall before the first byte in Anthropic's error shape (Anthropic SDK)", async () => {
    resetFakes();
    for (let i = 0; i <= SETTINGS.retryMaxAttempts; i++) claude.script({ firstByteDelayMs: 5000 });
    const client = new Anthropic({ baseURL: gateway, apiKey: key, maxRetries: 0 });
    const failure = await client.messages
      .create({ model: "claude-stall", max_tokens: 50, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    const error = failure as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(504);
    expect(error.error).toEqual({
      type: "error",
      error: { type: "api_error", message: "the upstream provider did not answer in time: first byte timeout (500 ms)" },
    });
  });

  it("ends a stream that stalls mid-way at the idle timeout with Anthropic's error event (Anthropic SDK)", async () => {
    resetFakes();
    claude.script({ text: "one two three four five six", stallMidStream: { afterChunks: 3, ms: 10_000 } });
    const client = new Anthropic({ baseURL: gateway, apiKey: key, maxRetries: 0 });
    const started = Date.now();
    const events: string[] = [];
    const failure = await (async () => {
      const stream = await client.messages.create({
        model: "claude-stall",
        max_tokens: 50,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      });
      for await (const event of stream) events.push(event.type);
    })().catch((e: unknown) => e);
    expect(events.slice(0, 2)).toEqual(["message_start", "content_block_start"]);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: "error",
      error: { type: "api_error", message: "the upstream provider did not answer in time: idle timeout (500 ms)" },
    });
    expect(Date.now() - started).toBeLessThan(3000);
    // Bytes had reached the client: the stream is not retried.
    expect(claude.requests).toHaveLength(1);
  });

  it("ends an OpenAI stream that stalls mid-way with an error chunk (openai SDK)", async () => {
    resetFakes();
    a.script({ text: "one two three four five six", stallMidStream: { afterChunks: 2, ms: 10_000 } });
    const client = new OpenAI({ baseURL: `${gateway}/v1`, apiKey: key, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: "single",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    let text = "";
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((e: unknown) => e);
    // The fake's first two chunks ("one ", "two "), then silence.
    expect(text).toBe("one two ");
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).error).toEqual({
      message: "the upstream provider did not answer in time: idle timeout (500 ms)",
      type: "server_error",
      param: null,
      code: "upstream_timeout",
    });
    expect(a.requests).toHaveLength(1);
  });

  it("lets a slow drip through when every gap is under the idle timeout", async () => {
    resetFakes();
    a.script({ text: "one two three four five", delayMs: 200 });
    const answer = await chat(gateway, key, "single");
    expect(answer.status).toBe(200);
    expect((answer.json.choices as Array<{ message: { content: string } }>)[0]?.message.content).toBe("one two three four five");
  });
});

describe("client disconnect", () => {
  it("cancels the upstream request: the fake sees its client go away", async () => {
    resetFakes();
    a.script({ text: Array.from({ length: 200 }, (_, i) => `word${i}`).join(" "), delayMs: 50 });
    const client = new OpenAI({ baseURL: `${gateway}/v1`, apiKey: key, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: "single",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    let chunks = 0;
    for await (const _ of stream) {
      chunks++;
      if (chunks === 3) break; // leaving the loop aborts the HTTP request
    }
    await waitFor(() => a.clientAborts === 1, { what: "the fake upstream to see the gateway hang up", timeoutMs: 5000 });
    expect(a.requests).toHaveLength(1);
  });

  it("cancels a non-streaming upstream call still waiting for its answer, and tries no other attempt", async () => {
    resetFakes();
    for (let i = 0; i <= SETTINGS.retryMaxAttempts; i++) a.script({ firstByteDelayMs: 5000 });
    const client = new AbortController();
    const sent = fetch(`${gateway}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: "single", messages: [{ role: "user", content: "hi" }] }),
      signal: client.signal,
    }).catch((e: unknown) => e);
    await waitFor(() => a.requests.length === 1, { what: "the upstream call to start", intervalMs: 5 });
    client.abort();
    expect(await sent).toBeInstanceOf(Error);
    await waitFor(() => a.clientAborts === 1, { what: "the fake upstream to see the gateway hang up", timeoutMs: 5000 });
    // Long enough for the first-byte timeout and every retry round, had the gateway not seen its client leave.
    await new Promise((done) => setTimeout(done, SETTINGS.retryMaxAttempts * 900 + 500));
    expect(a.requests).toHaveLength(1);
  });
});
