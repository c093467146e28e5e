/**
 * SIGTERM drains: readiness turns false, new connections are refused, the stream already in flight finishes with all
 * its chunks, its audit event is still published, and the process exits 0.
 */
import { createClickHouse } from "@thinkwatch/clickhouse";
import {
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
let gateway: FleetProcess;
let ingest: FleetProcess;
let upstream: FakeUpstream;
let key: string;

beforeAll(async () => {
  testEnv = await createTestEnvironment({ clickhouse: true });
  upstream = await startFakeUpstream("openai");
  ingest = await startFleetProcess({ env: testEnv.env, services: ["audit-ingest"] });
  gateway = await startFleetProcess({ env: testEnv.env, services: ["key-service", "quota", "admin-api", "ai-proxy"] });
  const admin = createConsoleClient(gateway.consoleUrl);
  await admin.initialize();
  await admin.call("POST", "/api/admin/providers", {
    name: "openai",
    kind: "openai",
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
  });
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "drain" })).body.plaintext;
});

afterAll(async () => {
  await gateway?.kill();
  await ingest?.stop();
  await upstream?.close();
  await testEnv?.cleanup();
});

describe("graceful shutdown", () => {
  it("finishes the stream in flight, refuses new work, publishes the event and exits 0", async () => {
    const client = new OpenAI({ apiKey: key, baseURL: `${gateway.gatewayUrl}/v1`, maxRetries: 0 });
    await waitFor(() => client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "warm" }] }), {
      what: "the provider to be routable",
    });
    // A slow stream: about 1.5 s between its first and last chunk.
    upstream.script({ text: "one two three four five six seven eight", delayMs: 150 });
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "slow stream" }],
      stream: true,
    });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);

    const exitCode = gateway.stop();
    await waitFor(async () => (await fetch(`${gateway.consoleUrl}/health/ready`).catch(() => null))?.status !== 200, {
      what: "readiness to turn false",
    });

    let text = first.value?.choices[0]?.delta.content ?? "";
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      text += next.value.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe("one two three four five six seven eight");
    await expect(fetch(`${gateway.gatewayUrl}/v1/models`)).rejects.toThrow();
    expect(await exitCode).toBe(0);

    const clickhouse = createClickHouse({
      url: testEnv.env.CLICKHOUSE_URL as string,
      database: testEnv.env.CLICKHOUSE_DB as string,
    });
    try {
      const rows = await waitFor(
        async () => {
          const found = await clickhouse.query<{ stream: number; status_code: number }>(
            "SELECT stream, status_code FROM gateway_logs WHERE stream = 1",
          );
          return found.length === 1 ? found : null;
        },
        { what: "the drained stream's row" },
      );
      expect(rows).toEqual([{ stream: 1, status_code: 200 }]);
    } finally {
      await clickhouse.close();
    }
  });
});
