/**
 * One poisoned event can never block the others. Through the real gateway (official openai client and raw bytes):
 * a lone UTF-16 surrogate in the model name (the reported attack), NUL bytes, a 1 MB model name and invalid UTF-8
 * mixed into 1,000 normal requests → all 1,000 normal events reach ClickHouse, the poisoned ones are stored with
 * their values made safe and flagged. Messages on the stream that can never become a row (not JSON, outside the
 * contract) go to the DEADLETTER stream with the reason instead of being retried.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { CONSUMERS, DeadLetterSchema, STREAMS } from "@thinkwatch/proto";
import { type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import OpenAI from "openai";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const NORMAL = 1000;
const CONCURRENCY = 16;

let scenario: GatewayScenario;
let key: string;
let client: OpenAI;

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["openai"], record: false });
  await scenario.addProvider("openai");
  key = await scenario.createKey({ name: "poison" });
  client = new OpenAI({ apiKey: key, baseURL: `${scenario.fleet.gatewayUrl}/v1`, maxRetries: 0 });
  await waitFor(
    async () => (await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })).id,
    { what: "the provider to be routable" },
  );
}, 60_000);

afterAll(async () => {
  await scenario?.close();
});

/** Sends a chat request through the official client; returns the gateway's request id whatever the status. */
async function chat(model: string, content: string): Promise<string> {
  try {
    const { response } = await client.chat.completions.create({ model, messages: [{ role: "user", content }] }).withResponse();
    return response.headers.get("x-request-id") as string;
  } catch (caught) {
    if (caught instanceof OpenAI.APIError) return caught.headers?.get("x-request-id") as string;
    throw caught;
  }
}

/** Invalid UTF-8 cannot be expressed by an SDK: raw bytes, on the wire, in the model name. */
async function chatRawBytes(): Promise<string> {
  const head = Buffer.from('{"model":"gpt-4o-mini', "utf8");
  const body = Buffer.concat([
    head,
    Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
    Buffer.from('","messages":[{"role":"user","content":"x"}]}'),
  ]);
  const response = await fetch(`${scenario.fleet.gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body,
  });
  await response.arrayBuffer();
  return response.headers.get("x-request-id") as string;
}

describe("poisoned audit events", () => {
  it("lets all 1,000 normal events land and stores the poisoned ones made safe", async () => {
    const poisonIds: Record<string, string> = {};
    const poisoned = (async () => {
      poisonIds.surrogate = await chat("gpt-4o\ud800", "lone surrogate");
      poisonIds.nul = await chat("gpt-4o\u0000mini", "NUL byte");
      poisonIds.huge = await chat(`gpt-4o-${"x".repeat(1024 * 1024)}`, "1 MB model name");
      poisonIds.invalidUtf8 = await chatRawBytes();
      // Five a second was enough to stop all audit rows before: send more of them while the normal load runs.
      for (let i = 0; i < 10; i++) await chat(`gpt-4o\udfff${i}`, "more surrogates");
    })();
    const normalIds: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < NORMAL) {
        const n = next++;
        const { response } = await client.chat.completions
          .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: `request ${n}` }] })
          .withResponse();
        normalIds.push(response.headers.get("x-request-id") as string);
      }
    };
    await Promise.all([poisoned, ...Array.from({ length: CONCURRENCY }, worker)]);
    expect(normalIds).toHaveLength(NORMAL);
    expect(Object.values(poisonIds).every((id) => typeof id === "string" && id.length > 0)).toBe(true);

    const started = Date.now();
    const wanted = new Set([...normalIds, ...Object.values(poisonIds)]);
    const rows = await scenario.waitForRows<{ request_id: string; model: string; sanitized: number; sanitize_notes: string }>(
      "SELECT request_id, model, sanitized, sanitize_notes FROM gateway_logs",
      (found) => found.filter((row) => wanted.has(row.request_id)).length >= wanted.size,
      "every normal and poisoned event in gateway_logs",
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    const byRequest = new Map(rows.map((row) => [row.request_id, row]));
    expect(normalIds.filter((id) => !byRequest.has(id))).toEqual([]);
    expect(normalIds.every((id) => byRequest.get(id)?.sanitized === 0)).toBe(true);

    const surrogate = byRequest.get(poisonIds.surrogate as string);
    expect(surrogate).toMatchObject({
      model: "gpt-4o\ufffd",
      sanitized: 1,
      sanitize_notes: "model:replaced,upstreamModel:replaced",
    });
    expect(byRequest.get(poisonIds.nul as string)).toMatchObject({ model: "gpt-4o\ufffdmini", sanitized: 1 });
    const huge = byRequest.get(poisonIds.huge as string);
    expect(huge?.sanitized).toBe(1);
    expect(huge?.model.endsWith("…[truncated]")).toBe(true);
    expect(Buffer.byteLength(huge?.model ?? "")).toBeLessThanOrEqual(16 * 1024);
    // Invalid UTF-8 was decoded to U+FFFD at the gateway; the row holds valid text.
    expect(byRequest.get(poisonIds.invalidUtf8 as string)?.model).toBe("gpt-4o-mini\ufffd\ufffd\ufffd(");
  }, 120_000);

  it("dead-letters messages that can never become a row, with the reason, and keeps consuming", async () => {
    const nc = await connect({ servers: scenario.testEnv.env.NATS_URL as string });
    try {
      const js = jetstream(nc);
      const ns = scenario.testEnv.id;
      await js.publish(`${ns}.audit.v1.evt.gateway_request.completed`, new TextEncoder().encode("{not json"));
      await js.publish(
        `${ns}.audit.v1.evt.gateway_request.completed`,
        new TextEncoder().encode(JSON.stringify({ eventId: "5f0f1a52-7d0e-4a8b-9d61-4f5b2c3a1e02", model: 42 })),
      );
      await js.publish(`${ns}.audit.v1.evt.user.deactivated`, new TextEncoder().encode(JSON.stringify({ eventId: "x" })));
      // A normal request after the poison still lands.
      const after = await chat("gpt-4o-mini", "after the dead letters");
      await scenario.waitForRows<{ request_id: string }>(
        "SELECT request_id FROM gateway_logs",
        (rows) => rows.some((row) => row.request_id === after),
        "the request sent after the poisoned messages",
      );

      const jsm = await jetstreamManager(nc);
      const streamName = `${ns.toUpperCase()}_${STREAMS.deadLetter.name}`;
      // Other consumers of gateway events (quota's usage accounting) dead-letter the same malformed messages under
      // their own name: only audit-ingest's letters are this test's business.
      const ingestLetters = async () => {
        const info = await jsm.streams.info(streamName);
        const letters: Array<v.InferOutput<typeof DeadLetterSchema>> = [];
        for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
          const stored = await jsm.streams.getMessage(streamName, { seq });
          const letter = v.parse(DeadLetterSchema, stored?.json());
          if (letter.consumer === CONSUMERS.auditIngest) letters.push(letter);
        }
        return letters;
      };
      const letters = await waitFor(
        async () => {
          const found = await ingestLetters();
          return found.length >= 3 ? found : null;
        },
        { what: "three dead letters from audit-ingest" },
      );
      expect(letters).toHaveLength(3);
      const reasons = letters.map((letter) => letter.reason);
      expect(reasons).toEqual([
        "not JSON",
        'gateway event outside its contract: occurredAt: Invalid key: Expected "occurredAt" but received undefined',
        'audit record outside its contract: eventId: Invalid UUID: Received "x"',
      ]);
    } finally {
      await nc.close();
    }
  }, 60_000);
});
