import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeUpstream, type FakeUpstreamKind, startFakeUpstream } from "../src/fake-upstreams/index.js";

function chatRequest(fake: FakeUpstream, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${fake.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "gpt-4o",
      messages: [{ role: "user", content: "a reply long enough to need several chunks" }],
      ...body,
    }),
  });
}

/** Reads an SSE body, noting when each event arrived, until the stream ends or breaks. */
async function readEvents(response: Response): Promise<{ events: string[]; times: number[]; error: unknown }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: string[] = [];
  const times: number[] = [];
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { events, times, error: undefined };
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end !== -1) {
        events.push(buffer.slice(0, end));
        times.push(performance.now());
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
      }
    }
  } catch (error) {
    return { events, times, error };
  }
}

describe("scripting a fake upstream", () => {
  let fake: FakeUpstream;
  beforeAll(async () => {
    fake = await startFakeUpstream("openai");
  });
  afterAll(() => fake.close());
  afterEach(() => fake.reset());

  it("waits firstByteDelayMs before the response starts", async () => {
    fake.script({ firstByteDelayMs: 150 });
    const started = performance.now();
    const response = await chatRequest(fake, {});
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(
      "echo: a reply long enough to need several chunks",
    );
  });

  it("pauses delayMs between stream chunks", async () => {
    fake.script({ delayMs: 40 });
    const { events, times, error } = await readEvents(await chatRequest(fake, { stream: true }));
    expect(error).toBeUndefined();
    expect(events.at(-1)).toBe("data: [DONE]");
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // Several events can land in one read; the whole stream still takes at least the sum of the pauses.
    expect((times.at(-1) as number) - (times[0] as number)).toBeGreaterThanOrEqual(40 * (events.length - 1) - 20);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(30);
  });

  it("drops the connection after dieMidStreamAfterChunks chunks", async () => {
    fake.script({ dieMidStreamAfterChunks: 2 });
    const { events, error } = await readEvents(await chatRequest(fake, { stream: true }));
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.startsWith("data: {"))).toBe(true);
    expect(error).toBeInstanceOf(Error);
  });

  it("cuts a non-streamed body short when told to die, so the client sees a truncated response", async () => {
    fake.script({ dieMidStreamAfterChunks: 0 });
    const response = await chatRequest(fake, {});
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it("passes a scripted error body through unchanged", async () => {
    fake.script({
      error: {
        status: 503,
        body: { error: { message: "custom outage", type: "server_error", param: null, code: "overloaded" } },
      },
    });
    const response = await chatRequest(fake, {});
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: { message: "custom outage", type: "server_error", param: null, code: "overloaded" },
    });
  });

  it("rejects a malformed script in the test that wrote it", () => {
    expect(() => fake.script({ error: { status: 200 } })).toThrow();
    expect(() => fake.script({ delayMs: -1 })).toThrow();
    expect(() => fake.script({ bogus: true } as never)).toThrow();
    expect(fake.pendingSteps).toBe(0);
  });

  it("records every request, and reset() forgets requests and pending steps", async () => {
    fake.script({ text: "one" }, { text: "two" });
    await chatRequest(fake, {});
    await fetch(`${fake.baseUrl}/models?limit=5`, { headers: { authorization: "Bearer wrong" } });
    expect(fake.requests.map((r) => [r.method, r.path, r.query])).toEqual([
      ["POST", "/v1/chat/completions", {}],
      ["GET", "/v1/models", { limit: "5" }],
    ]);
    expect(fake.pendingSteps).toBe(1);
    fake.reset();
    expect(fake.requests).toEqual([]);
    expect(fake.pendingSteps).toBe(0);
  });
});

describe("fake upstream options", () => {
  it("records nothing with record: false", async () => {
    const fake = await startFakeUpstream({ kind: "openai", record: false });
    try {
      expect((await chatRequest(fake, {})).status).toBe(200);
      expect(fake.requests).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  const cases: { kind: FakeUpstreamKind; request: (fake: FakeUpstream) => Promise<Response>; body: unknown }[] = [
    {
      kind: "openai",
      request: (fake) => chatRequest(fake, { model: "gpt-unknown" }),
      body: {
        error: {
          message: "The model `gpt-unknown` does not exist or you do not have access to it.",
          type: "invalid_request_error",
          param: null,
          code: "model_not_found",
        },
      },
    },
    {
      kind: "anthropic",
      request: (fake) =>
        fetch(`${fake.baseUrl}/v1/messages`, {
          method: "POST",
          headers: { "x-api-key": fake.apiKey, "anthropic-version": "2023-06-01", "content-type": "application/json" },
          body: JSON.stringify({ model: "gpt-unknown", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }),
        }),
      body: {
        type: "error",
        error: { type: "not_found_error", message: "The model `gpt-unknown` does not exist or you do not have access to it." },
        request_id: expect.stringMatching(/^req_/),
      },
    },
    {
      kind: "gemini",
      request: (fake) =>
        fetch(`${fake.baseUrl}/v1beta/models/gpt-unknown:generateContent`, {
          method: "POST",
          headers: { "x-goog-api-key": fake.apiKey, "content-type": "application/json" },
          body: JSON.stringify({ contents: [{ parts: [{ text: "hi" }] }] }),
        }),
      body: {
        error: {
          code: 404,
          message: "The model `gpt-unknown` does not exist or you do not have access to it.",
          status: "NOT_FOUND",
        },
      },
    },
  ];
  it.each(cases)("answers a model outside `models` with $kind's 404", async ({ kind, request, body }) => {
    const fake = await startFakeUpstream({ kind, models: ["only-this-one"] });
    try {
      const response = await request(fake);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual(body);
    } finally {
      await fake.close();
    }
  });

  it("rejects unknown options", async () => {
    await expect(startFakeUpstream({ kind: "openai", basePath: "no-slash" })).rejects.toThrow();
    await expect(startFakeUpstream({ kind: "nope" } as never)).rejects.toThrow();
  });
});
