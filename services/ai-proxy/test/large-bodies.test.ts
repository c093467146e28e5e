/**
 * Coding-agent-sized bodies (hundreds of KB, where the gateway parses and re-encodes in pieces rather than as one
 * string) through the gateway with the official SDKs: passed through to a same-format upstream byte for byte (the
 * conversation delimited, never parsed); a stream given the usage option and nothing else changed; converted for
 * another format with every message intact; malformed ones refused with a 400 in the client's shape — by the
 * upstream when only the forwarded conversation is at fault, by the gateway otherwise.
 */
import Anthropic from "@anthropic-ai/sdk";
import { type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let scenario: GatewayScenario;
let key: string;

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["openai"] });
  await scenario.addProvider("openai", {
    models: [
      { model: "gpt-4o-mini", upstreamModel: "gpt-4o-mini" },
      { model: "claude-via-openai", upstreamModel: "gpt-4o" },
    ],
  });
  key = await scenario.createKey({ name: "large bodies" });
  await waitFor(
    async () => (await fetch(`${scenario.fleet.gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).ok,
    { what: "the gateway" },
  );
}, 300_000);

afterAll(async () => {
  await scenario?.close();
});

/** Source-code turns with the quotes, backslashes, newlines and non-ASCII text that make JSON escapes. */
const turns = (count: number, bytesEach: number) =>
  Array.from({ length: count }, (_, i) => ({
    role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
    content: `file ${i} — “naïve” 😀\n${'const path = "C:\\\\repo\\\\src";\n'.repeat(Math.ceil(bytesEach / 32))}`,
  }));

describe("large bodies through the gateway", () => {
  it("passes a 600 KB OpenAI request to a same-format upstream byte for byte", async () => {
    const openai = scenario.fake("openai");
    openai.reset();
    const client = new OpenAI({ apiKey: key, baseURL: `${scenario.fleet.gatewayUrl}/v1`, maxRetries: 0 });
    const messages = [...turns(39, 15_000), { role: "user" as const, content: "And now?" }];
    const answer = await client.chat.completions.create({ model: "gpt-4o-mini", messages });
    expect(answer.choices[0]?.message.content).toBeTruthy();
    const received = openai.requests.at(-1);
    expect(received?.rawBody.length).toBeGreaterThan(600_000);
    // The SDK sends JSON.stringify of its parameters; the gateway forwards those bytes untouched, in the chunks they
    // arrived in, with their length declared rather than chunked encoding.
    expect(received?.rawBody).toBe(JSON.stringify({ model: "gpt-4o-mini", messages }));
    expect(received?.headers["content-length"]).toBe(String(Buffer.byteLength(received?.rawBody ?? "")));
    expect(received?.headers["transfer-encoding"]).toBeUndefined();
  });

  it("converts a 600 KB Anthropic request for an OpenAI upstream with every message intact", async () => {
    const openai = scenario.fake("openai");
    openai.reset();
    const client = new Anthropic({ apiKey: key, baseURL: scenario.fleet.gatewayUrl, maxRetries: 0 });
    const messages = [...turns(39, 15_000), { role: "user" as const, content: "And now?" }];
    const answer = await client.messages.create({
      model: "claude-via-openai",
      max_tokens: 256,
      system: "You are a coding agent.",
      messages,
    });
    expect(answer.content[0]?.type).toBe("text");
    const received = openai.requests.at(-1)?.body as { model: string; messages: Array<{ role: string; content: unknown }> };
    expect(received.model).toBe("gpt-4o");
    expect(received.messages[0]).toEqual({ role: "system", content: "You are a coding agent." });
    const texts = received.messages.slice(1).map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)));
    expect(received.messages.slice(1).map((m) => m.role)).toEqual(messages.map((m) => m.role));
    for (const [index, message] of messages.entries()) expect(texts[index]).toContain(message.content);
  });

  it("adds the usage option to a 600 KB OpenAI stream, the rest of the body as the client sent it", async () => {
    const openai = scenario.fake("openai");
    openai.reset();
    const client = new OpenAI({ apiKey: key, baseURL: `${scenario.fleet.gatewayUrl}/v1`, maxRetries: 0 });
    const messages = [...turns(39, 15_000), { role: "user" as const, content: "And now?" }];
    const stream = await client.chat.completions.create({ model: "gpt-4o-mini", messages, stream: true });
    let text = "";
    for await (const chunk of stream) {
      // The usage chunk the gateway asked for is not the client's: it never reaches the client.
      expect(chunk.usage ?? null).toBeNull();
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(text).toBeTruthy();
    const received = openai.requests.at(-1)?.body as Record<string, unknown>;
    expect(received).toEqual({ model: "gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } });
  });

  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${scenario.fleet.gatewayUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });

  it("forwards a 300 KB body whose conversation is malformed to a same-format upstream, whose 400 the client gets", async () => {
    const openai = scenario.fake("openai");
    openai.reset();
    const body = JSON.stringify({ model: "gpt-4o-mini", messages: turns(20, 15_000) });
    // A stray comma after the last message: the conversation of a pass-through is delimited, not parsed, so the
    // upstream is the one to judge it (as it judges every other field of a request it gets as sent).
    const broken = `${body.slice(0, -2)},]}`;
    const response = await post("/v1/chat/completions", broken, { authorization: `Bearer ${key}` });
    expect(response.status).toBe(400);
    const error = (await response.json()) as { error: { type: string } };
    expect(error.error.type).toBe("invalid_request_error");
    expect(openai.requests.at(-1)?.rawBody).toBe(broken);
  });

  it("refuses a malformed 300 KB body with its own 400 when the fault is outside the conversation, or the body is converted", async () => {
    const openai = scenario.fake("openai");
    openai.reset();
    const messages = turns(20, 15_000);
    // The members around the conversation are read in full: a fault there is the gateway's to refuse.
    const outside = JSON.stringify({ model: "gpt-4o-mini", messages }).replace('"model":"gpt-4o-mini"', '"model":"gpt-4o-mini",');
    const refused = await post("/v1/chat/completions", outside, { authorization: `Bearer ${key}` });
    expect(refused.status).toBe(400);
    const error = (await refused.json()) as { error: { type: string; message: string } };
    expect(error.error.type).toBe("invalid_request_error");
    expect(error.error.message).toMatch(/not valid JSON/);
    // Converted for another format, the whole body is decoded: a fault deep in the conversation is refused too.
    const anthropic = JSON.stringify({ model: "claude-via-openai", max_tokens: 64, messages });
    const converted = await post("/v1/messages", `${anthropic.slice(0, -2)},]}`, {
      "x-api-key": key,
      "anthropic-version": "2023-06-01",
    });
    expect(converted.status).toBe(400);
    const anthropicError = (await converted.json()) as { type: string; error: { type: string; message: string } };
    expect(anthropicError).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(anthropicError.error.message).toMatch(/not valid JSON/);
    expect(openai.requests).toHaveLength(0);
  });
});
