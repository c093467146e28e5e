/**
 * Bounded memory under abuse: 40 concurrent 31 MB bodies with one valid key against an ai-proxy process of its own.
 * Per-key concurrency and the in-flight body budget (gateway settings) refuse what does not fit before it is
 * buffered, so the process's peak RSS stays bounded and RSS returns to its baseline afterwards.
 */
import { readFileSync } from "node:fs";
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
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addFakeProvider, chat, createModel, putGatewaySettings, waitForRetrySetting } from "./support/routing-admin.js";

const MB = 1024 * 1024;
// Two bodies in flight for the key (429 beyond); the budget (charged 4× a body's wire size) also holds two.
const SETTINGS = { perKeyConcurrency: 2, inFlightBodyBudgetBytes: 256 * MB, retryMaxAttempts: 3 };

let testEnv: TestEnvironment;
let rest: FleetProcess;
let proxy: FleetProcess;
let admin: ConsoleClient;
let fake: FakeUpstream;
let probe: FakeUpstream;
let key: string;

/** Resident set size and its high-water mark of a process, in MB (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
}

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  [fake, probe] = await Promise.all([startFakeUpstream({ kind: "openai", record: false }), startFakeUpstream("openai")]);
  rest = await startFleetProcess({ env: testEnv.env, services: ["key-service", "quota", "admin-api"] });
  proxy = await startFleetProcess({ env: testEnv.env, services: ["ai-proxy"] });
  admin = createConsoleClient(rest.consoleUrl);
  await admin.initialize();
  await createModel(admin, "big", [{ providerId: await addFakeProvider(admin, "big-upstream", fake), upstreamModel: "gpt-4o" }]);
  await createModel(admin, "probe", [{ providerId: await addFakeProvider(admin, "probe", probe), upstreamModel: "gpt-4o" }]);
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "abuser" })).body.plaintext;
  await putGatewaySettings(admin, SETTINGS);
  await waitForRetrySetting(proxy.gatewayUrl, key, "probe", probe, SETTINGS.retryMaxAttempts);
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await rest?.stop();
  await Promise.all([fake?.close(), probe?.close()]);
  await testEnv?.cleanup();
});

describe("40 concurrent 31 MB bodies with one key", () => {
  it("are refused beyond the key's concurrency and the body budget; memory stays bounded and returns to baseline", async () => {
    const pid = proxy.process.pid as number;
    const body = Buffer.from(
      JSON.stringify({ model: "big", messages: [{ role: "user", content: "x".repeat(31 * MB) }], max_tokens: 5 }),
    );
    const baseline = memoryOf(pid);
    const results = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const response = await fetch(`${proxy.gatewayUrl}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body,
        }).catch((error: Error) => ({ status: 0, text: async () => error.message }));
        return { status: response.status, text: await response.text() };
      }),
    );
    const peak = memoryOf(pid).peak;
    const statuses = results.map((r) => r.status);
    const count = (status: number) => statuses.filter((s) => s === status).length;
    expect(results.filter((r) => ![200, 429, 503].includes(r.status))).toEqual([]);
    expect(count(200)).toBeGreaterThanOrEqual(1);
    expect(count(429) + count(503)).toBeGreaterThanOrEqual(1);
    for (const result of results.filter((r) => r.status === 429)) {
      expect(JSON.parse(result.text)).toEqual({
        error: {
          message: "too many concurrent requests for this API key (limit 2)",
          type: "rate_limit_error",
          param: null,
          code: "rate_limit_exceeded",
        },
      });
    }
    for (const result of results.filter((r) => r.status === 503)) {
      expect(JSON.parse(result.text)).toEqual({
        error: {
          message: "the gateway is at its in-flight request memory budget; retry shortly",
          type: "server_error",
          param: null,
          code: "unavailable",
        },
      });
    }
    // Unbounded, 40 such bodies took this process from ~150 MB to ~3.6 GB.
    expect(peak - baseline.rss).toBeLessThan(800);
    // The process keeps serving ordinary requests meanwhile: their allocations let V8 collect the big strings.
    let last = memoryOf(pid);
    const after = await waitFor(
      async () => {
        await chat(proxy.gatewayUrl, key, "probe");
        last = memoryOf(pid);
        return last.rss < baseline.rss + 100 ? last : null;
      },
      {
        what: `ai-proxy RSS to return to its baseline (${baseline.rss} MB; now ${last.rss} MB)`,
        timeoutMs: 120_000,
        intervalMs: 250,
      },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; RSS stayed at ${last.rss} MB (peak ${peak} MB)`);
    });
    console.log(
      `ai-proxy RSS: before ${baseline.rss} MB, peak ${peak} MB, after ${after.rss} MB; ` +
        `answers: ${count(200)} × 200, ${count(429)} × 429 (key concurrency), ${count(503)} × 503 (body budget)`,
    );
  }, 480_000);
});
