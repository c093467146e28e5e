/**
 * Nothing dropped in silence: for each parameter a converted request cannot carry, the answer names it in
 * `x-thinkwatch-dropped-params`, and with `x-thinkwatch-strict: true` the same request is a 400 in the caller's API
 * shape naming it — as it is for a key with `strictConversion` or under the gateway setting, which the header cannot
 * loosen. Real equivalents are used where they exist (Gemini's JSON MIME type for `json_object`), and
 * Claude Code's `metadata.user_id` does not become the OpenAI `user`. Every request goes through the official SDK.
 */
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import { type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let scenario: GatewayScenario;
let key: string;

const MODELS = {
  openai: "gpt-4o-mini",
  anthropic: "claude-haiku-5-5",
  gemini: "gemini-2.5-flash",
  bedrock: "br-claude",
} as const;
type Target = keyof typeof MODELS;
const STRICT = { "x-thinkwatch-strict": "true" };
const TOOL = { type: "object", properties: { city: { type: "string" } } };

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["openai", "anthropic", "gemini", "bedrock"] });
  await scenario.addProvider("openai");
  await scenario.addProvider("anthropic");
  await scenario.addProvider("gemini");
  await scenario.addProvider("bedrock", {
    models: [{ model: "br-claude", upstreamModel: "anthropic.claude-3-5-sonnet-20240620-v1:0" }],
  });
  key = await scenario.createKey({ name: "dropped" });
  await waitFor(async () => (await chat("br-claude", {})).status === 200, { what: "every provider to be routable" });
}, 120_000);

afterAll(async () => {
  await scenario?.close();
});

interface Outcome {
  status: number;
  dropped: string | null;
  /** The error body of a refused request, as the SDK received it. */
  error?: unknown;
}

const openai = () => new OpenAI({ apiKey: key, baseURL: `${scenario.fleet.gatewayUrl}/v1`, maxRetries: 0 });
const anthropic = () => new Anthropic({ apiKey: key, baseURL: scenario.fleet.gatewayUrl, maxRetries: 0 });

async function settle(run: () => Promise<{ response: Response }>): Promise<Outcome> {
  try {
    const { response } = await run();
    return { status: response.status, dropped: response.headers.get("x-thinkwatch-dropped-params") };
  } catch (caught) {
    if (caught instanceof OpenAI.APIError || caught instanceof Anthropic.APIError) {
      return { status: caught.status ?? 0, dropped: null, error: caught.error };
    }
    throw caught;
  }
}

function chat(model: string, extra: Record<string, unknown>, headers: Record<string, string> = {}) {
  const body = { model, messages: [{ role: "user" as const, content: "hi" }], ...extra };
  return settle(() =>
    openai()
      .chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming, { headers })
      .withResponse(),
  );
}

function messages(model: string, extra: Record<string, unknown>, headers: Record<string, string> = {}) {
  const body = { model, max_tokens: 256, messages: [{ role: "user" as const, content: "hi" }], ...extra };
  return settle(() =>
    anthropic()
      .messages.create(body as Anthropic.MessageCreateParamsNonStreaming, { headers })
      .withResponse(),
  );
}

function responses(model: string, extra: Record<string, unknown>, headers: Record<string, string> = {}) {
  const body = { model, input: "hi", ...extra };
  return settle(() =>
    openai()
      .responses.create(body as OpenAI.Responses.ResponseCreateParamsNonStreaming, { headers })
      .withResponse(),
  );
}

async function gemini(model: string, config: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Outcome> {
  const ai = new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: scenario.fleet.gatewayUrl, headers } });
  try {
    const response = await ai.models.generateContent({ model, contents: "hi", config });
    return { status: 200, dropped: response.sdkHttpResponse?.headers?.["x-thinkwatch-dropped-params"] ?? null };
  } catch (caught) {
    const error = caught as { status?: number; message?: string };
    return { status: error.status ?? 0, dropped: null, error: error.message };
  }
}

type Client = "openai_chat" | "anthropic_messages" | "openai_responses" | "gemini";
const SEND: Record<
  Client,
  (model: string, extra: Record<string, unknown>, headers?: Record<string, string>) => Promise<Outcome>
> = {
  openai_chat: chat,
  anthropic_messages: messages,
  openai_responses: responses,
  gemini,
};

/** [client, upstream, the parameter as sent, the name the header and the 400 use] */
const CASES: Array<[Client, Target, Record<string, unknown>, string]> = [
  ["openai_chat", "anthropic", { logprobs: true }, "logprobs"],
  ["openai_chat", "anthropic", { top_logprobs: 2, logprobs: true }, "top_logprobs"],
  ["openai_chat", "gemini", { logit_bias: { "50256": -100 } }, "logit_bias"],
  ["openai_chat", "anthropic", { prediction: { type: "content", content: "hi" } }, "prediction"],
  ["openai_chat", "anthropic", { service_tier: "flex" }, "service_tier"],
  ["openai_chat", "gemini", { store: true }, "store"],
  ["openai_chat", "anthropic", { verbosity: "low" }, "verbosity"],
  ["openai_chat", "anthropic", { prompt_cache_key: "k1" }, "prompt_cache_key"],
  ["openai_chat", "gemini", { safety_identifier: "u1" }, "safety_identifier"],
  ["openai_chat", "anthropic", { frequency_penalty: 0.5 }, "frequency_penalty"],
  ["openai_chat", "bedrock", { presence_penalty: 0.5 }, "presence_penalty"],
  ["openai_chat", "anthropic", { seed: 7 }, "seed"],
  ["openai_chat", "anthropic", { metadata: { team: "a" } }, "metadata"],
  ["openai_chat", "gemini", { user: "u-1" }, "user"],
  ["openai_chat", "bedrock", { user: "u-1" }, "user"],
  ["openai_chat", "anthropic", { response_format: { type: "json_object" } }, "response_format.json_object"],
  ["openai_chat", "bedrock", { response_format: { type: "json_object" } }, "response_format.json_object"],
  [
    "openai_chat",
    "gemini",
    {
      tools: [{ type: "function", function: { name: "f", parameters: TOOL } }],
      parallel_tool_calls: false,
    },
    "parallel_tool_calls",
  ],
  [
    "openai_chat",
    "gemini",
    { tools: [{ type: "function", function: { name: "f", parameters: TOOL, strict: true } }] },
    "tool.strict",
  ],
  ["anthropic_messages", "openai", { top_k: 5 }, "top_k"],
  ["anthropic_messages", "openai", { metadata: { user_id: "device-1_session-2" } }, "metadata.user_id"],
  ["anthropic_messages", "openai", { context_management: { edits: [] } }, "context_management"],
  ["anthropic_messages", "gemini", { output_config: { effort: "low" } }, "output_config.effort"],
  [
    "anthropic_messages",
    "openai",
    { system: [{ type: "text", text: "be brief", cache_control: { type: "ephemeral" } }] },
    "cache_control",
  ],
  ["anthropic_messages", "openai", { tools: [{ type: "web_search_20250305", name: "web_search" }] }, "native_tools"],
  ["openai_responses", "anthropic", { include: ["message.output_text.logprobs"] }, "include"],
  ["openai_responses", "anthropic", { truncation: "auto" }, "truncation"],
  ["openai_responses", "gemini", { max_tool_calls: 3 }, "max_tool_calls"],
  ["openai_responses", "anthropic", { top_logprobs: 3 }, "top_logprobs"],
  ["openai_responses", "anthropic", { text: { verbosity: "low" } }, "text.verbosity"],
  ["openai_responses", "anthropic", { tools: [{ type: "web_search" }] }, "native_tools"],
  ["gemini", "openai", { safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }] }, "safetySettings"],
  ["gemini", "anthropic", { labels: { team: "a" } }, "labels"],
  ["gemini", "openai", { responseLogprobs: true }, "generationConfig.responseLogprobs"],
  ["gemini", "openai", { mediaResolution: "MEDIA_RESOLUTION_LOW" }, "generationConfig.mediaResolution"],
  ["gemini", "openai", { topK: 4 }, "top_k"],
];

describe("parameters the upstream cannot express", () => {
  it.each(CASES)("%s → %s: %j is dropped with a header, or refused in strict mode", async (client, target, extra, param) => {
    const lenient = await SEND[client](MODELS[target], extra);
    expect(lenient).toEqual({ status: 200, dropped: expect.stringContaining(param) });
    expect((lenient.dropped ?? "").split(", ")).toContain(param);

    const strict = await SEND[client](MODELS[target], extra, STRICT);
    expect(strict.status).toBe(400);
    const upstreamFormat = {
      openai: "openai_chat",
      anthropic: "anthropic_messages",
      gemini: "gemini",
      bedrock: "bedrock_converse",
    }[target];
    const message = expect.stringMatching(
      new RegExp(
        `^${param.replaceAll(".", "\\.")} cannot be sent to this upstream \\(${upstreamFormat}\\) and strict mode is on: .{10,}`,
      ),
    );
    if (client === "anthropic_messages")
      expect(strict.error).toEqual({ type: "error", error: { type: "invalid_request_error", message } });
    else if (client === "gemini") expect(strict.error).toContain(`${param} cannot be sent to this upstream`);
    else expect(strict.error).toEqual({ message, type: "invalid_request_error", param, code: "bad_request" });
  });

  it("names nothing when nothing was dropped, and never on a same-format request", async () => {
    expect(await chat(MODELS.anthropic, { temperature: 0.2 })).toEqual({ status: 200, dropped: null });
    expect(await chat(MODELS.openai, { logprobs: true, service_tier: "flex" })).toEqual({ status: 200, dropped: null });
    expect(await chat(MODELS.openai, { logprobs: true }, STRICT)).toEqual({ status: 200, dropped: null });
  });

  it("maps json_object to Gemini's JSON MIME type instead of dropping it", async () => {
    const fake = scenario.fake("gemini");
    fake.reset();
    expect(await chat(MODELS.gemini, { response_format: { type: "json_object" } }, STRICT)).toEqual({
      status: 200,
      dropped: null,
    });
    expect(fake.requests[0]?.body).toMatchObject({ generationConfig: { responseMimeType: "application/json" } });
  });

  it("does not send Claude Code's metadata.user_id upstream as the OpenAI user", async () => {
    const fake = scenario.fake("openai");
    fake.reset();
    await messages(MODELS.openai, { metadata: { user_id: "user_abc_account_def_session_123" } });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.body).not.toHaveProperty("user");
    expect(JSON.stringify(fake.requests[0]?.body)).not.toContain("session_123");
  });

  it("honours a key's strictConversion, which the request header cannot loosen, until its owner turns it off", async () => {
    const created = await scenario.admin.call<{ key: { id: string; strictConversion: boolean }; plaintext: string }>(
      "POST",
      "/api/keys",
      { name: "strict-key", strictConversion: true },
    );
    expect(created.status).toBe(201);
    expect(created.body.key.strictConversion).toBe(true);
    const strictClient = new OpenAI({
      apiKey: created.body.plaintext,
      baseURL: `${scenario.fleet.gatewayUrl}/v1`,
      maxRetries: 0,
    });
    const send = (headers: Record<string, string> = {}) =>
      settle(() =>
        strictClient.chat.completions
          .create({ model: MODELS.anthropic, messages: [{ role: "user", content: "hi" }], seed: 1 }, { headers })
          .withResponse(),
      );
    for (const headers of [{}, { "x-thinkwatch-strict": "false" }, STRICT]) {
      const refused = await send(headers);
      expect(refused.status).toBe(400);
      expect(refused.error).toMatchObject({ type: "invalid_request_error", param: "seed", code: "bad_request" });
    }
    // Other keys are not affected.
    expect(await chat(MODELS.anthropic, { seed: 1 })).toEqual({ status: 200, dropped: "seed" });

    const wrong = await scenario.admin.call("PATCH", `/api/keys/${created.body.key.id}`, { strictConversion: "yes" });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { code: "validation_failed" } });
    const off = await scenario.admin.call<{ key: { strictConversion: boolean } }>("PATCH", `/api/keys/${created.body.key.id}`, {
      strictConversion: false,
    });
    expect(off.body.key.strictConversion).toBe(false);
    await waitFor(async () => (await send()).status === 200, { what: "the key's change to reach the gateway" });
    expect(await send()).toEqual({ status: 200, dropped: "seed" });
    expect((await send(STRICT)).status).toBe(400);
  });

  it("follows the gateway settings: strict by default, and metadata.user_id forwarded when configured", async () => {
    const put = await scenario.admin.call("PUT", "/api/admin/settings/gateway", {
      strictConversion: true,
      forwardMetadataUserId: true,
    });
    expect(put.status).toBe(200);
    try {
      await waitFor(async () => (await chat(MODELS.anthropic, { seed: 1 })).status === 400, { what: "strict mode to apply" });
      // The request header can only make a request stricter, never loosen the setting.
      expect((await chat(MODELS.anthropic, { seed: 1 }, { "x-thinkwatch-strict": "false" })).status).toBe(400);
      const fake = scenario.fake("openai");
      fake.reset();
      expect((await messages(MODELS.openai, { metadata: { user_id: "end-user-7" } })).status).toBe(200);
      expect(fake.requests[0]?.body).toMatchObject({ user: "end-user-7" });
    } finally {
      await scenario.admin.call("PUT", "/api/admin/settings/gateway", {});
    }
  });
});
