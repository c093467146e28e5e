/**
 * The smaller fidelity promises, each through the official SDK of the API it concerns: the model list with the
 * upstreams' own models (cached, filtered by the key), query strings of same-format requests forwarded, an estimated
 * input_tokens in converted Anthropic streams, tool-result images and errors reaching OpenAI, mid-conversation system
 * messages kept in place, and JSON nested too deep refused with a 400 in the caller's shape.
 */
import Anthropic from "@anthropic-ai/sdk";
import { type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG_BASE64 } from "./support/inbound-clients.js";

let scenario: GatewayScenario;
let key: string;
let narrowKey: string;

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["openai", "anthropic", "gemini", "bedrock"] });
  await scenario.addProvider("openai", { models: [{ model: "house-gpt", upstreamModel: "gpt-4o" }] });
  await scenario.addProvider("anthropic");
  await scenario.addProvider("gemini");
  await scenario.addProvider("bedrock", { models: [{ model: "br-claude", upstreamModel: "anthropic.claude-3-5-sonnet" }] });
  key = await scenario.createKey({ name: "fidelity" });
  narrowKey = await scenario.createKey({ name: "narrow", allowedModels: ["gpt-4o-mini", "claude-haiku-5-5", "not-a-model"] });
  await waitFor(async () => (await openai(key).models.list()).data.some((m) => m.id === "br-claude"), {
    what: "every provider to be routable",
  });
}, 120_000);

afterAll(async () => {
  await scenario?.close();
});

const openai = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${scenario.fleet.gatewayUrl}/v1`, maxRetries: 0 });
const anthropic = (apiKey: string) => new Anthropic({ apiKey, baseURL: scenario.fleet.gatewayUrl, maxRetries: 0 });
const listCalls = () =>
  [...scenario.fakes.values()].flatMap((fake) => fake.requests).filter((r) => r.method === "GET" && r.path.endsWith("models"));

describe("GET /v1/models", () => {
  it("lists registered models and the upstreams' own, cached, in OpenAI's shape", async () => {
    const before = listCalls().length;
    const ids = (await openai(key).models.list()).data.map((m) => `${m.id} (${m.owned_by})`);
    expect(ids).toEqual([
      "br-claude (bedrock)",
      "claude-haiku-5-5 (anthropic)",
      "claude-sonnet-5-5 (anthropic)",
      "gemini-2.5-flash (gemini)",
      "gemini-2.5-pro (gemini)",
      "gpt-4o (openai)",
      "gpt-4o-mini (openai)",
      "house-gpt (openai)",
      "o3-mini (openai)",
      "text-embedding-3-small (openai)",
    ]);
    // Served from the cache: the upstreams were not asked again.
    expect(listCalls().length).toBe(before);
  });

  it("narrows the list to the key's allowed models, in Anthropic's shape for Anthropic clients", async () => {
    const page = await anthropic(narrowKey).models.list();
    expect(page.data.map((m) => ({ type: m.type, id: m.id, display_name: m.display_name }))).toEqual([
      { type: "model", id: "claude-haiku-5-5", display_name: "claude-haiku-5-5" },
      { type: "model", id: "gpt-4o-mini", display_name: "gpt-4o-mini" },
    ]);
  });
});

describe("same-format requests", () => {
  it("forward the client's query string (Anthropic's ?beta=true), never a key parameter", async () => {
    const fake = scenario.fake("anthropic");
    fake.reset();
    // Claude Code calls /v1/messages?beta=true.
    await anthropic(key).messages.create(
      { model: "claude-haiku-5-5", max_tokens: 64, messages: [{ role: "user", content: "beta hello" }] },
      { query: { beta: "true" } },
    );
    await anthropic(key).messages.create(
      { model: "claude-haiku-5-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] },
      { query: { feature: "x", key: "tw-should-stay-here" } },
    );
    expect(fake.requests.map((r) => r.query)).toEqual([{ beta: "true" }, { feature: "x" }]);
  });
});

describe("Anthropic streams converted from other upstreams", () => {
  it("carry an estimated input_tokens in message_start, marked by a header, and the upstream's count at the end", async () => {
    const { data: stream, response } = await anthropic(key)
      .messages.create({
        model: "gpt-4o-mini",
        max_tokens: 64,
        stream: true,
        messages: [{ role: "user", content: "count the tokens of this prompt, roughly, please" }],
      })
      .withResponse();
    const events: Anthropic.RawMessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const estimate = Number(response.headers.get("x-thinkwatch-estimated-input-tokens"));
    expect(estimate).toBeGreaterThan(5);
    const start = events[0] as Anthropic.RawMessageStartEvent;
    expect(start.type).toBe("message_start");
    expect(start.message.usage.input_tokens).toBe(estimate);
    const end = events.find((e) => e.type === "message_delta") as Anthropic.RawMessageDeltaEvent;
    expect(end.usage.input_tokens).toBeGreaterThan(0);
  });

  it("from Anthropic-counting upstreams need no estimate", async () => {
    const { response } = await anthropic(key)
      .messages.create({ model: "br-claude", max_tokens: 64, stream: true, messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(response.headers.get("x-thinkwatch-estimated-input-tokens")).toBeNull();
    await response.text();
  });
});

describe("tool results reaching an OpenAI chat upstream", () => {
  it("keep their images (in the user message after the tool messages) and say when the tool failed", async () => {
    const fake = scenario.fake("openai");
    fake.reset();
    const tools = [{ name: "screenshot", input_schema: { type: "object" as const, properties: {} } }];
    const message = await anthropic(key).messages.create({
      model: "gpt-4o-mini",
      max_tokens: 128,
      tools,
      messages: [
        { role: "user", content: "take screenshots" },
        {
          role: "assistant",
          content: [
            { type: "tool_use", id: "toolu_1", name: "screenshot", input: {} },
            { type: "tool_use", id: "toolu_2", name: "screenshot", input: {} },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "toolu_1",
              content: [
                { type: "text", text: "captured" },
                { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_BASE64 } },
              ],
            },
            { type: "tool_result", tool_use_id: "toolu_2", content: "display not found", is_error: true },
          ],
        },
      ],
    });
    expect(message.content).toEqual([
      {
        type: "text",
        text: [
          "tool screenshot returned: captured",
          "(1 image returned by this tool follow in the next user message)",
          "tool screenshot returned: Error (the tool call failed): display not found",
        ].join("\n"),
      },
    ]);
    const body = fake.requests[0]?.body as { messages: unknown[] };
    expect(body.messages.slice(2)).toEqual([
      {
        role: "tool",
        tool_call_id: "toolu_1",
        content: "captured\n(1 image returned by this tool follow in the next user message)",
      },
      { role: "tool", tool_call_id: "toolu_2", content: "Error (the tool call failed): display not found" },
      {
        role: "user",
        content: [
          { type: "text", text: "Images returned by tool call toolu_1:" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
        ],
      },
    ]);
  });
});

describe("a system message in the middle of a conversation", () => {
  it("stays in place as tagged user text for Anthropic, the system prompt unchanged", async () => {
    const fake = scenario.fake("anthropic");
    fake.reset();
    await openai(key).chat.completions.create({
      model: "claude-haiku-5-5",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
        { role: "system", content: "from now on, answer in French" },
        { role: "user", content: "again" },
      ],
    });
    expect(fake.requests[0]?.body).toMatchObject({
      system: "be brief",
      messages: [
        { role: "user", content: [{ type: "text", text: "hi" }] },
        { role: "assistant", content: [{ type: "text", text: "hello" }] },
        {
          role: "user",
          content: [
            { type: "text", text: "<system>\nfrom now on, answer in French\n</system>" },
            { type: "text", text: "again" },
          ],
        },
      ],
    });
  });
});

describe("JSON nested deeper than the gateway accepts", () => {
  const deep = `{"model":"gpt-4o-mini","metadata":${"[".repeat(5000)}${"]".repeat(5000)}}`;
  const message = "request body nests arrays and objects deeper than 128 levels";
  const post = async (path: string, headers: Record<string, string>) => {
    const response = await fetch(`${scenario.fleet.gatewayUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: deep,
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it.each([
    [
      "/v1/chat/completions",
      { authorization: "Bearer KEY" },
      { error: { message, type: "invalid_request_error", param: null, code: "bad_request" } },
    ],
    [
      "/v1/responses",
      { authorization: "Bearer KEY" },
      { error: { message, type: "invalid_request_error", param: null, code: "bad_request" } },
    ],
    ["/v1/messages", { "x-api-key": "KEY" }, { type: "error", error: { type: "invalid_request_error", message } }],
    [
      "/v1beta/models/gemini-2.5-flash:generateContent",
      { "x-goog-api-key": "KEY" },
      { error: { code: 400, message, status: "INVALID_ARGUMENT" } },
    ],
  ])("%s answers 400 in its own shape", async (path, headers, expected) => {
    const withKey = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replace("KEY", key)]));
    expect(await post(path, withKey)).toEqual({ status: 400, body: expected });
  });
});
