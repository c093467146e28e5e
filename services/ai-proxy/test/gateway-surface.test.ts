/**
 * The rest of the gateway surface: model listing per key in OpenAI's and Anthropic's shapes, embeddings to
 * OpenAI-format and Gemini upstreams, token counting, default-prefix routing, and same-format pass-through that
 * forwards the client's bytes unchanged.
 */
import Anthropic from "@anthropic-ai/sdk";
import { type FakeUpstream, type FleetProcess, type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let scenario: GatewayScenario;
let fleet: FleetProcess;
const fakes: Record<"openai" | "anthropic" | "gemini" | "bedrock", FakeUpstream> = {} as never;
let key: string;
let narrowKey: string;

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["openai", "anthropic", "gemini", "bedrock"] });
  ({ fleet } = scenario);
  for (const kind of ["openai", "anthropic", "gemini", "bedrock"] as const) fakes[kind] = scenario.fake(kind);
  await scenario.addProvider("openai", { models: [{ model: "team-default", upstreamModel: "gpt-4o-mini" }] });
  await scenario.addProvider("anthropic");
  await scenario.addProvider("gemini");
  await scenario.addProvider("bedrock", {
    models: [{ model: "claude-on-bedrock", upstreamModel: "anthropic.claude-3-5-sonnet-20240620-v1:0" }],
  });
  key = await scenario.createKey({ name: "surface" });
  narrowKey = await scenario.createKey({ name: "narrow", allowedModels: ["team-default", "gpt-4o", "claude-haiku-5-5"] });
  await waitFor(async () => (await get("/v1/models", key)).data?.some((m) => m.id === "claude-on-bedrock"), {
    what: "the routing table",
  });
});

afterAll(async () => {
  await scenario?.close();
});

async function get(path: string, apiKey: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${fleet.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${apiKey}`, ...headers } });
  return (await response.json()) as { data?: Array<Record<string, unknown>> } & Record<string, unknown>;
}

describe("GET /v1/models", () => {
  it("lists registered models and the upstreams' own for an unrestricted key, in OpenAI's list shape", async () => {
    const list = await new OpenAI({ apiKey: key, baseURL: `${fleet.gatewayUrl}/v1` }).models.list();
    expect(list.data.map((m) => ({ id: m.id, object: m.object, owned_by: m.owned_by }))).toEqual(
      [
        ["claude-haiku-5-5", "anthropic"],
        ["claude-on-bedrock", "bedrock"],
        ["claude-sonnet-5-5", "anthropic"],
        ["gemini-2.5-flash", "gemini"],
        ["gemini-2.5-pro", "gemini"],
        ["gpt-4o", "openai"],
        ["gpt-4o-mini", "openai"],
        ["o3-mini", "openai"],
        ["team-default", "openai"],
        ["text-embedding-3-small", "openai"],
      ].map(([id, owner]) => ({ id, object: "model", owned_by: owner })),
    );
  });

  it("lists only what a restricted key may use, including allowed names that route by prefix", async () => {
    const list = await get("/v1/models", narrowKey);
    expect(list.data?.map((m) => m.id)).toEqual(["claude-haiku-5-5", "gpt-4o", "team-default"]);
  });

  it("answers in Anthropic's shape when asked with anthropic-version", async () => {
    const page = await new Anthropic({ apiKey: narrowKey, baseURL: fleet.gatewayUrl }).models.list();
    expect(page.data.map((m) => ({ id: m.id, type: m.type }))).toEqual([
      { id: "claude-haiku-5-5", type: "model" },
      { id: "gpt-4o", type: "model" },
      { id: "team-default", type: "model" },
    ]);
  });
});

describe("POST /v1/embeddings", () => {
  const client = () => new OpenAI({ apiKey: key, baseURL: `${fleet.gatewayUrl}/v1`, maxRetries: 0 });

  it("embeds through an OpenAI-format upstream", async () => {
    const result = await client().embeddings.create({ model: "text-embedding-3-small", input: ["alpha", "beta"] });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding.length).toBeGreaterThan(10);
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("embeds through Gemini, converted both ways, in float and base64", async () => {
    const floats = await client().embeddings.create({
      model: "gemini-embedding-001",
      input: ["alpha", "beta"],
      encoding_format: "float",
    });
    expect(floats.data.map((d) => d.index)).toEqual([0, 1]);
    expect(floats.model).toBe("gemini-embedding-001");
    expect(fakes.gemini.requests.at(-1)?.path).toBe("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    const viaSdkDefault = await client().embeddings.create({ model: "gemini-embedding-001", input: "alpha" });
    expect(viaSdkDefault.data[0]?.embedding).toEqual(floats.data[0]?.embedding.map((x) => Math.fround(x)));
  });

  it("refuses embeddings on a provider kind without them, in OpenAI's shape", async () => {
    const error = await client()
      .embeddings.create({ model: "claude-haiku-5-5", input: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain(
      "served by a anthropic provider, which offers no embeddings",
    );
  });
});

describe("POST /v1/messages/count_tokens", () => {
  it("asks an Anthropic upstream's own endpoint, and estimates for upstreams without one", async () => {
    const anthropic = new Anthropic({ apiKey: key, baseURL: fleet.gatewayUrl, maxRetries: 0 });
    const messages: Anthropic.MessageParam[] = [{ role: "user", content: "count these words please" }];
    const upstream = await anthropic.messages.countTokens({ model: "claude-haiku-5-5", messages });
    expect(upstream.input_tokens).toBeGreaterThan(0);
    expect(fakes.anthropic.requests.at(-1)?.path).toBe("/v1/messages/count_tokens");
    const estimated = await anthropic.messages.countTokens({ model: "team-default", messages });
    expect(estimated.input_tokens).toBeGreaterThan(0);
  });
});

describe("routing", () => {
  it("routes default prefixes automatically, and Bedrock only by explicit registration", async () => {
    const chat = new OpenAI({ apiKey: key, baseURL: `${fleet.gatewayUrl}/v1`, maxRetries: 0 });
    const viaPrefix = await chat.chat.completions.create({
      model: "gemini-2.5-flash",
      messages: [{ role: "user", content: "route me" }],
    });
    expect(viaPrefix.choices[0]?.message.content).toBe("echo: route me");
    expect(fakes.gemini.requests.at(-1)?.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    const viaRegistration = await chat.chat.completions.create({
      model: "claude-on-bedrock",
      messages: [{ role: "user", content: "to aws" }],
    });
    expect(viaRegistration.model).toBe("claude-on-bedrock");
    expect(fakes.bedrock.requests.at(-1)?.path).toBe("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
    const mapped = await chat.chat.completions.create({ model: "team-default", messages: [{ role: "user", content: "mapped" }] });
    // Same format: the answer is the upstream's own, so it names the model that really answered.
    expect(mapped.model).toBe("gpt-4o-mini");
    expect((fakes.openai.requests.at(-1)?.body as { model?: string } | undefined)?.model).toBe("gpt-4o-mini");
  });

  it("forwards a same-format request byte for byte, and its stream chunk for chunk", async () => {
    const body = '{"model":"gpt-4o-mini",  "messages":[{"role":"user","content":"exact bytes"}],"x_vendor_extra":{"keep":true}}';
    const response = await fetch(`${fleet.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body,
    });
    expect(response.status).toBe(200);
    expect(fakes.openai.requests.at(-1)?.rawBody).toBe(body);

    const upstreamStream = fakes.anthropic;
    const streamBody = {
      model: "claude-haiku-5-5",
      max_tokens: 50,
      stream: true,
      messages: [{ role: "user", content: "relay" }],
    };
    const relayed = await fetch(`${fleet.gatewayUrl}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key, "anthropic-version": "2023-06-01" },
      body: JSON.stringify(streamBody),
    });
    const text = await relayed.text();
    expect(upstreamStream.requests.at(-1)?.rawBody).toBe(JSON.stringify(streamBody));
    expect(text.startsWith("event: message_start")).toBe(true);
    expect(text.trim().endsWith('data: {"type":"message_stop"}')).toBe(true);
  });
});
