/**
 * Nothing dropped in silence, driven by the unmappable table itself: every row has a request (support/unmappable-cases.ts)
 * and a row without one fails. For each parameter a converted request cannot carry, the answer names it in
 * `x-thinkwatch-dropped-params`, and with `x-thinkwatch-strict: true` the same request is a 400 in the caller's API
 * shape naming it — as it is for a key with `strictConversion` or under the gateway setting, which the header cannot
 * loosen. Real equivalents are used where they exist (Gemini's JSON MIME type for `json_object`), and
 * Claude Code's `metadata.user_id` does not become the OpenAI `user`. A reject row is a 400 in the caller's shape even
 * without strict mode. Every request goes through the official SDK, except the streamed one.
 */
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import { findRule, UNMAPPABLE } from "@thinkwatch/providers";
import { type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, TARGET_MODELS as MODELS, RULE_CASES, ruleId, TARGET_FORMATS } from "./support/unmappable-cases.js";

let scenario: GatewayScenario;
let key: string;

const STRICT = { "x-thinkwatch-strict": "true" };

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["openai", "anthropic", "gemini", "bedrock", "openai_compatible"] });
  await scenario.addProvider("openai");
  await scenario.addProvider("openai_compatible", { models: [{ model: MODELS.compat }] });
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
  // A case may bring its own conversation; everything else is the SDK's config.
  const { contents = "hi", ...rest } = config as { contents?: Parameters<typeof ai.models.generateContent>[0]["contents"] };
  try {
    const response = await ai.models.generateContent({ model, contents, config: rest });
    return { status: 200, dropped: response.sdkHttpResponse?.headers?.["x-thinkwatch-dropped-params"] ?? null };
  } catch (caught) {
    const error = caught as { status?: number; message?: string };
    return { status: error.status ?? 0, dropped: null, error: error.message };
  }
}

const SEND: Record<
  Client,
  (model: string, extra: Record<string, unknown>, headers?: Record<string, string>) => Promise<Outcome>
> = {
  openai_chat: chat,
  anthropic_messages: messages,
  openai_responses: responses,
  gemini,
};

const ROWS = UNMAPPABLE.map((rule) => [ruleId(rule), rule] as const);

/** The error text of a refused request, whatever the client's shape. */
function errorMessage(client: Client, error: unknown): string {
  if (client === "gemini") return String(error);
  if (client === "anthropic_messages") return (error as { error: { message: string } }).error.message;
  return (error as { message: string }).message;
}

function expectClientShape(client: Client, error: unknown, param: string, message: unknown): void {
  if (client === "anthropic_messages")
    expect(error).toEqual({ type: "error", error: { type: "invalid_request_error", message } });
  else if (client === "gemini") expect(error).toEqual(expect.stringContaining('"status":"INVALID_ARGUMENT"'));
  else expect(error).toEqual({ message, type: "invalid_request_error", param, code: "bad_request" });
}

describe("parameters the upstream cannot express", () => {
  it("has a request for every row of the unmappable table, and none for a row that is gone", () => {
    const ids = ROWS.map(([id]) => id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(RULE_CASES).sort()).toEqual([...ids].sort());
  });

  it.each(ROWS)("%s", async (id, rule) => {
    const found = RULE_CASES[id];
    if (found === undefined) throw new Error(`no case for the unmappable row ${id}`);
    const [client, target, extra] = found;
    const upstreamFormat = TARGET_FORMATS[target];
    // The request reaches exactly this row of the table (not an earlier, more specific one).
    expect(findRule(rule.param, client, upstreamFormat as Parameters<typeof findRule>[2])).toBe(rule);

    if (rule.action === "reject") {
      const refused = await SEND[client](MODELS[target], extra);
      expect(refused.status).toBe(400);
      const message = `${rule.param} is not supported when the upstream API is ${upstreamFormat}: ${rule.why}`;
      expect(errorMessage(client, refused.error)).toContain(message);
      expectClientShape(client, refused.error, rule.param, message);
      return;
    }
    // Each case sets off its row alone, so the header and the strict 400 name exactly that parameter.
    expect(await SEND[client](MODELS[target], extra)).toEqual({ status: 200, dropped: rule.param });
    const strict = await SEND[client](MODELS[target], extra, STRICT);
    expect(strict.status).toBe(400);
    const message = `${rule.param} cannot be sent to this upstream (${upstreamFormat}) and strict mode is on: ${rule.why}`;
    expect(errorMessage(client, strict.error)).toContain(message);
    expectClientShape(client, strict.error, rule.param, message);
  });

  it("names the dropped parameters on a streamed answer, and refuses the stream before it starts in strict mode", async () => {
    const send = (headers: Record<string, string>) =>
      fetch(`${scenario.fleet.gatewayUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
        body: JSON.stringify({
          model: MODELS.anthropic,
          stream: true,
          messages: [{ role: "user", content: "hi" }],
          logprobs: true,
          seed: 3,
        }),
      });
    const streamed = await send({});
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("content-type")).toContain("text/event-stream");
    expect(streamed.headers.get("x-thinkwatch-dropped-params")?.split(", ").sort()).toEqual(["logprobs", "seed"]);
    expect((await streamed.text()).trimEnd().endsWith("data: [DONE]")).toBe(true);

    const refused = await send(STRICT);
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/json");
    expect(await refused.json()).toEqual({
      error: {
        message: expect.stringMatching(
          /^(logprobs|seed) cannot be sent to this upstream \(anthropic_messages\) and strict mode is on: /,
        ),
        type: "invalid_request_error",
        param: expect.stringMatching(/^(logprobs|seed)$/),
        code: "bad_request",
      },
    });
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
