/**
 * The OpenAI Responses API as an upstream: Responses clients reach OpenAI, Azure OpenAI and a compatible server that
 * says it speaks Responses natively (the SDK's bytes arrive unchanged, streams included), and Chat Completions
 * clients reach models that exist only on the Responses API through a conversion, tool loop included — which models
 * those are is the gateway setting `responsesOnlyModels` (defaults: the known families) plus a provider's list.
 */
import { type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let scenario: GatewayScenario;
let key: string;
/** Every request body the SDK put on the wire, in order. */
const sent: string[] = [];

const recordingFetch: typeof fetch = async (input, init) => {
  if (typeof init?.body === "string") sent.push(init.body);
  return fetch(input, init);
};

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["openai", "azure_openai", { kind: "openai_compatible", responsesApi: true }] });
  await scenario.addProvider("openai", {
    models: [
      { model: "gpt-4o-mini", upstreamModel: "gpt-4o-mini" },
      { model: "codex-alias", upstreamModel: "gpt-5-codex" },
      { model: "house-responses-model", upstreamModel: "house-model" },
      { model: "o3-pro-alias", upstreamModel: "o3-pro-2025-06-10" },
      { model: "tuned-alias", upstreamModel: "ft:house-tuned-1" },
    ],
    settings: { responsesModels: ["house-model"] },
  });
  await scenario.addProvider("azure_openai", {
    models: [{ model: "azure-gpt", upstreamModel: "gpt4o-prod-deployment" }],
    settings: { apiVersion: "2024-10-21", responsesApiVersion: "2025-04-01-preview" },
  });
  await scenario.addProvider("openai_compatible", {
    models: [{ model: "compat-model", upstreamModel: "llama-3.1-8b-instruct" }],
    settings: { responsesApi: true },
  });
  key = await scenario.createKey({ name: "responses" });
  await waitFor(
    async () => (await sdk().chat.completions.create({ model: "compat-model", messages: [{ role: "user", content: "hi" }] })).id,
    { what: "the providers to be routable" },
  );
}, 120_000);

afterAll(async () => {
  await scenario?.close();
});

const sdk = () => new OpenAI({ apiKey: key, baseURL: `${scenario.fleet.gatewayUrl}/v1`, maxRetries: 0, fetch: recordingFetch });

const WEATHER = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};

describe("Responses clients, natively", () => {
  it.each([false, true])("reach OpenAI's /v1/responses with the SDK's exact bytes (stream: %s)", async (stream) => {
    const fake = scenario.fake("openai");
    fake.reset();
    const params = {
      model: "gpt-4o-mini",
      input: "hello natively",
      // Fields no other format could carry: they must arrive untouched.
      tools: [WEATHER, { type: "web_search" as const }],
      include: ["reasoning.encrypted_content" as const],
      store: false,
      reasoning: { effort: "low" as const, summary: "auto" as const },
    };
    const response = stream
      ? await sdk().responses.stream(params).finalResponse()
      : await sdk().responses.create({ ...params, stream: false });
    expect(response.output_text).toBe("echo: hello natively");
    const upstream = fake.requests.filter((r) => r.path === "/v1/responses");
    expect(upstream).toHaveLength(1);
    expect(upstream[0]?.rawBody).toBe(sent.at(-1));
    // The answer is the upstream's own (the fake's ids), not one the gateway re-encoded.
    expect(response.id).toMatch(/^resp_0{40}[0-9a-z]{8}$/);
    expect(response.output.find((item) => item.type === "reasoning")).toMatchObject({ type: "reasoning" });
  });

  it("reach Azure OpenAI's Responses API with the deployment named as the model", async () => {
    const fake = scenario.fake("azure_openai");
    fake.reset();
    const response = await sdk().responses.create({ model: "azure-gpt", input: "hello azure", store: false });
    expect(response.output_text).toBe("echo: hello azure");
    const upstream = fake.requests.filter((r) => r.path === "/openai/responses");
    expect(upstream).toHaveLength(1);
    expect(upstream[0]?.query).toEqual({ "api-version": "2025-04-01-preview" });
    expect(upstream[0]?.body).toEqual({ ...JSON.parse(sent.at(-1) as string), model: "gpt4o-prod-deployment" });
  });

  it("reach an OpenAI-compatible server whose settings say it speaks Responses", async () => {
    const fake = scenario.fake("openai_compatible");
    fake.reset();
    const response = await sdk().responses.create({ model: "compat-model", input: "hello compatible" });
    expect(response.output_text).toBe("echo: hello compatible");
    expect(fake.requests.map((r) => r.path)).toEqual(["/compat/v1/responses"]);
  });
});

describe("Chat Completions clients and Responses-only models", () => {
  it.each([
    ["a known Responses-only family", "codex-alias", "gpt-5-codex"],
    ["a model the provider's settings list", "house-responses-model", "house-model"],
  ])("reach %s through /v1/responses, tool loop included", async (_what, model, upstreamModel) => {
    const fake = scenario.fake("openai");
    for (const stream of [false, true]) {
      fake.reset();
      const tools = [{ type: "function" as const, function: { name: WEATHER.name, parameters: WEATHER.parameters } }];
      const user = { role: "user" as const, content: 'use tool get_weather with {"city":"Oslo"}' };
      const first = stream
        ? await sdk()
            .chat.completions.stream({ model, messages: [user], tools })
            .finalChatCompletion()
        : await sdk().chat.completions.create({ model, messages: [user], tools });
      const call = first.choices[0]?.message.tool_calls?.[0] as OpenAI.ChatCompletionMessageFunctionToolCall;
      expect(call.function).toEqual({ name: "get_weather", arguments: '{"city":"Oslo"}' });
      expect(first.choices[0]?.finish_reason).toBe("tool_calls");
      const second = await sdk().chat.completions.create({
        model,
        messages: [
          user,
          { role: "assistant", content: null, tool_calls: [call] },
          { role: "tool", tool_call_id: call.id, content: "-3C and snowing" },
        ],
        tools,
      });
      expect(second.choices[0]?.message.content).toBe("tool get_weather returned: -3C and snowing");
      const upstream = fake.requests;
      expect(upstream.map((r) => r.path)).toEqual(["/v1/responses", "/v1/responses"]);
      expect(upstream[1]?.body).toMatchObject({
        model: upstreamModel,
        store: false,
        input: [
          { type: "message", role: "user", content: [{ type: "input_text", text: user.content }] },
          { type: "function_call", call_id: call.id, name: "get_weather", arguments: '{"city":"Oslo"}' },
          { type: "function_call_output", call_id: call.id, output: "-3C and snowing" },
        ],
      });
    }
  });
});

describe("the Responses-only model list in the gateway settings", () => {
  const chatPath = async (model: string) => {
    const fake = scenario.fake("openai");
    fake.reset();
    await sdk().chat.completions.create({ model, messages: [{ role: "user", content: "which API?" }] });
    return fake.requests.map((r) => r.path);
  };

  it("defaults to the known families, and an admin's list replaces them", async () => {
    expect(await chatPath("o3-pro-alias")).toEqual(["/v1/responses"]);
    expect(await chatPath("tuned-alias")).toEqual(["/v1/chat/completions"]);

    const put = await scenario.admin.call("PUT", "/api/admin/settings/gateway", { responsesOnlyModels: ["ft:house-*"] });
    expect(put.status).toBe(200);
    try {
      await waitFor(async () => (await chatPath("tuned-alias"))[0] === "/v1/responses", { what: "the setting to apply" });
      // The default families are no longer on the list: o3-pro goes to Chat Completions now.
      expect(await chatPath("o3-pro-alias")).toEqual(["/v1/chat/completions"]);
      // A provider's own list still adds to the setting.
      expect(await chatPath("house-responses-model")).toEqual(["/v1/responses"]);
    } finally {
      await scenario.admin.call("PUT", "/api/admin/settings/gateway", {});
    }
    await waitFor(async () => (await chatPath("o3-pro-alias"))[0] === "/v1/responses", { what: "the defaults to return" });
  });

  it("refuses a pattern with whitespace in the console's error shape", async () => {
    const put = await scenario.admin.call("PUT", "/api/admin/settings/gateway", { responsesOnlyModels: ["o3 pro"] });
    expect(put.status).toBe(400);
    expect(put.body).toMatchObject({ error: { code: "validation_failed" } });
  });
});
