/**
 * audit-ingest killed (SIGKILL, no draining) in the middle of 1,000 gateway requests and started again: every request
 * has exactly one row in ClickHouse. JetStream redelivers what was never acked; rows already inserted before the
 * crash are recognised by event id and not inserted twice.
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
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const TOTAL = 1000;
const CONCURRENCY = 16;
const EVERYTHING_BUT_INGEST = ["key-service", "quota", "forwarder", "admin-api", "ai-proxy", "mcp-proxy"];

let testEnv: TestEnvironment;
let gateway: FleetProcess;
let ingest: FleetProcess;
let upstream: FakeUpstream;
let key: string;

beforeAll(async () => {
  testEnv = await createTestEnvironment({ clickhouse: true });
  upstream = await startFakeUpstream({ kind: "openai", record: false });
  // Small batches, so the kill lands between many insert/ack pairs.
  const env = { ...testEnv.env, AUDIT_BATCH_MAX: "25", AUDIT_BATCH_WAIT_MS: "20" };
  ingest = await startFleetProcess({ env, services: ["audit-ingest"] });
  gateway = await startFleetProcess({ env, services: EVERYTHING_BUT_INGEST });
  const admin = createConsoleClient(gateway.consoleUrl);
  await admin.initialize();
  await admin.call("POST", "/api/admin/providers", {
    name: "openai",
    kind: "openai",
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
  });
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "load" })).body.plaintext;
  await waitFor(async () => (await send("warm-up")).ok, { what: "the provider to be routable" });
});

afterAll(async () => {
  await gateway?.stop();
  await ingest?.kill();
  await upstream?.close();
  await testEnv?.cleanup();
});

function send(content: string) {
  return fetch(`${gateway.gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content }] }),
  });
}

describe("audit-ingest crash recovery", () => {
  it("loses no row and duplicates none when killed mid-load and restarted", async () => {
    const clickhouse = createClickHouse({
      url: testEnv.env.CLICKHOUSE_URL as string,
      database: testEnv.env.CLICKHOUSE_DB as string,
    });
    const countRows = async () => {
      const [row] = await clickhouse.query<{ rows: string; ids: string }>(
        "SELECT count() AS rows, uniqExact(event_id) AS ids FROM gateway_logs",
      );
      return { rows: Number(row?.rows ?? 0), ids: Number(row?.ids ?? 0) };
    };
    try {
      const requestIds: string[] = [];
      let next = 0;
      let killed = false;
      const worker = async () => {
        while (next < TOTAL) {
          const n = next++;
          const response = await send(`request ${n}`);
          expect(response.status).toBe(200);
          requestIds.push(response.headers.get("x-request-id") as string);
          await response.arrayBuffer();
        }
      };
      const load = Promise.all(Array.from({ length: CONCURRENCY }, worker));

      // Kill once some rows are in, while requests keep flowing.
      await waitFor(async () => (await countRows()).rows >= 150, { what: "150 rows before the kill", timeoutMs: 60_000 });
      await ingest.kill();
      killed = true;
      const rowsAtKill = (await countRows()).rows;
      expect(rowsAtKill).toBeLessThan(TOTAL + 1);

      await load;
      expect(killed).toBe(true);
      ingest = await startFleetProcess({
        env: { ...testEnv.env, AUDIT_BATCH_MAX: "25", AUDIT_BATCH_WAIT_MS: "20" },
        services: ["audit-ingest"],
      });

      const final = await waitFor(
        async () => {
          const counts = await countRows();
          return counts.ids >= TOTAL + 1 ? counts : null;
        },
        { what: `${TOTAL + 1} distinct events (1000 + warm-up)`, timeoutMs: 60_000 },
      );
      expect(final).toEqual({ rows: TOTAL + 1, ids: TOTAL + 1 });
      const stored = await clickhouse.query<{ request_id: string }>("SELECT request_id FROM gateway_logs");
      const storedIds = new Set(stored.map((row) => row.request_id));
      expect(requestIds.filter((id) => !storedIds.has(id))).toEqual([]);
    } finally {
      await clickhouse.close();
    }
  });
});
