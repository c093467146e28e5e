/**
 * Reasoning that survives every hop: each client API (official SDK) runs a two-turn tool loop with thinking on
 * against each upstream kind that signs its reasoning, and the fake upstream's record shows, on turn two, the
 * vendor's own token back in the vendor's own field — Anthropic and Bedrock thinking signatures, Gemini's function
 * call thought signature (never the skip-validator stand-in), OpenAI's encrypted reasoning — whatever the client's
 * format. Turn one is checked too: thinking was asked for upstream. Chat Completions clients of reasoning models that
 * both OpenAI APIs serve go through Responses for the same reason, unless the gateway setting says otherwise.
 */
import {
  type FakeUpstreamKind,
  fakeReasoningSignature,
  type GatewayScenario,
  startGatewayScenario,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anthropicReasoningClient,
  chatReasoningClient,
  geminiReasoningClient,
  type ReasoningClient,
  responsesReasoningClient,
} from "./support/reasoning-clients.js";

const KINDS = ["anthropic", "bedrock", "gemini", "openai", "azure_openai"] as const satisfies FakeUpstreamKind[];
type Kind = (typeof KINDS)[number];
const UPSTREAM_MODELS: Record<Kind, string> = {
  anthropic: "claude-sonnet-5-5",
  bedrock: "anthropic.claude-3-7-sonnet-20250219-v1:0",
  gemini: "gemini-3-pro-preview",
  // Reasoning models that live on the Responses API, so Chat Completions clients reach it too.
  openai: "gpt-5-codex",
  azure_openai: "gpt5-reasoning-deployment",
};

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/** Turn one: did the upstream get asked to think? */
const THINKING_ASKED: Record<Kind, (body: Json) => boolean> = {
  anthropic: (body) => (body.thinking as Json | undefined)?.type === "enabled",
  bedrock: (body) => ((body.additionalModelRequestFields as Json | undefined)?.thinking as Json | undefined)?.type === "enabled",
  gemini: (body) => ((body.generationConfig as Json | undefined)?.thinkingConfig as Json | undefined)?.includeThoughts === true,
  openai: (body) => (body.include as string[] | undefined)?.includes("reasoning.encrypted_content") === true,
  azure_openai: (body) => (body.include as string[] | undefined)?.includes("reasoning.encrypted_content") === true,
};

/** Turn two: the reasoning tokens in the upstream's own fields, with the reasoning text they sign where it travels. */
const TOKENS_RECEIVED: Record<Kind, (body: Json) => Array<{ token: unknown; text?: unknown }>> = {
  anthropic: (body) =>
    list(body.messages)
      .flatMap((m) => list(m.content))
      .filter((b) => b.type === "thinking")
      .map((b) => ({ token: b.signature, text: b.thinking })),
  bedrock: (body) =>
    list(body.messages)
      .flatMap((m) => list(m.content))
      .flatMap((b) => {
        const text = (b.reasoningContent as Json | undefined)?.reasoningText as Json | undefined;
        return text === undefined ? [] : [{ token: text.signature, text: text.text }];
      }),
  gemini: (body) =>
    list(body.contents)
      .flatMap((c) => list(c.parts))
      .filter((p) => p.functionCall !== undefined)
      .map((p) => ({ token: p.thoughtSignature })),
  openai: (body) =>
    list(body.input)
      .filter((i) => i.type === "reasoning")
      .map((i) => ({ token: i.encrypted_content })),
  azure_openai: (body) =>
    list(body.input)
      .filter((i) => i.type === "reasoning")
      .map((i) => ({ token: i.encrypted_content })),
};

/**
 * Reasoning models that Chat Completions serves too (not Responses-only): a Chat Completions client asking for
 * reasoning is still converted to Responses, the one API that hands the encrypted reasoning back, unless the gateway
 * setting `chatReasoningViaResponses` is off. Name and upstream model are the same, so a same-format request would
 * go out byte for byte.
 */
const CHAT_REASONING_MODELS = { openai: "o4-mini", azure_openai: "o4-mini-deployment" } as const;
type ChatKind = keyof typeof CHAT_REASONING_MODELS;
const RESPONSES_PATH: Record<ChatKind, string> = { openai: "/v1/responses", azure_openai: "/openai/responses" };
const CHAT_PATH: Record<ChatKind, string> = {
  openai: "/v1/chat/completions",
  azure_openai: "/openai/deployments/o4-mini-deployment/chat/completions",
};

let scenario: GatewayScenario;
let key = "";
let clients: ReasoningClient[] = [];

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: [...KINDS] });
  for (const kind of KINDS) {
    await scenario.addProvider(kind, {
      models: [
        { model: `think-${kind}`, upstreamModel: UPSTREAM_MODELS[kind] },
        ...(kind in CHAT_REASONING_MODELS
          ? [{ model: CHAT_REASONING_MODELS[kind as ChatKind], upstreamModel: CHAT_REASONING_MODELS[kind as ChatKind] }]
          : []),
      ],
      ...(kind === "azure_openai" && {
        settings: { apiVersion: "2025-04-01-preview", responsesModels: [UPSTREAM_MODELS[kind]] },
      }),
    });
  }
  key = await scenario.createKey({ name: "reasoning" });
  const gateway = scenario.fleet.gatewayUrl;
  clients = [
    chatReasoningClient(gateway, key),
    anthropicReasoningClient(gateway, key),
    responsesReasoningClient(gateway, key),
    geminiReasoningClient(gateway, key),
  ];
  await waitFor(
    async () =>
      (
        await fetch(`${gateway}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "think-azure_openai", messages: [{ role: "user", content: "ready?" }] }),
        })
      ).ok,
    { what: "every provider to be routable" },
  );
}, 120_000);

afterAll(async () => {
  await scenario?.close();
});

const CLIENTS = ["openai_chat", "anthropic_messages", "openai_responses", "gemini"] as const;

describe.each(CLIENTS)("%s clients", (clientName) => {
  describe.each(KINDS)("→ %s upstream", (kind) => {
    it.each([false, true])("keep thinking through a tool loop (stream: %s)", async (stream) => {
      const fake = scenario.fake(kind);
      fake.reset();
      const client = clients.find((c) => c.name === clientName) as ReasoningClient;
      const prompt = `use tool get_weather with {"city":"Lima"} (${clientName}, stream ${stream})`;
      const outcome = await client.toolLoop(`think-${kind}`, prompt, "22C and clear", stream);

      const reasoning = `thinking about: ${prompt}`;
      // Gemini shows thoughts only as summaries it writes itself; the fake's Responses summary is the same text.
      expect(outcome.reasoning).toBe(reasoning);
      expect(outcome.answer).toBe("tool get_weather returned: 22C and clear");

      const turns = fake.requests.filter((r) => r.method === "POST").map((r) => r.body as Json);
      expect(turns).toHaveLength(2);
      expect(THINKING_ASKED[kind](turns[0] as Json)).toBe(true);
      const expected = fakeReasoningSignature(reasoning);
      const received = TOKENS_RECEIVED[kind](turns[1] as Json);
      expect(received).toEqual([
        kind === "anthropic" || kind === "bedrock" ? { token: expected, text: reasoning } : { token: expected },
      ]);
    });
  });
});

describe.each(Object.keys(CHAT_REASONING_MODELS) as ChatKind[])("openai_chat clients → %s model on both APIs", (kind) => {
  const model = CHAT_REASONING_MODELS[kind];
  const chatBody = (extra: Json) => JSON.stringify({ model, messages: [{ role: "user", content: "plain question" }], ...extra });
  const postChat = (body: string) =>
    fetch(`${scenario.fleet.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });

  it.each([false, true])(
    "reasoning_effort goes through Responses and keeps thinking through a tool loop (stream: %s)",
    async (stream) => {
      const fake = scenario.fake(kind);
      fake.reset();
      const client = clients.find((c) => c.name === "openai_chat") as ReasoningClient;
      const prompt = `use tool get_weather with {"city":"Quito"} (${kind} ${model}, stream ${stream})`;
      const outcome = await client.toolLoop(model, prompt, "18C and cloudy", stream);

      const reasoning = `thinking about: ${prompt}`;
      expect(outcome).toEqual({ reasoning, answer: "tool get_weather returned: 18C and cloudy" });
      const turns = fake.requests.filter((r) => r.method === "POST");
      expect(turns.map((t) => t.path)).toEqual([RESPONSES_PATH[kind], RESPONSES_PATH[kind]]);
      for (const turn of turns) {
        expect(turn.body).toMatchObject({ include: ["reasoning.encrypted_content"], store: false });
      }
      expect(TOKENS_RECEIVED[kind]((turns[1] as { body: Json }).body)).toEqual([{ token: fakeReasoningSignature(reasoning) }]);
    },
  );

  it("a request without reasoning stays on Chat Completions byte for byte", async () => {
    const fake = scenario.fake(kind);
    fake.reset();
    const body = chatBody({ temperature: 0.25 });
    expect((await postChat(body)).status).toBe(200);
    expect(fake.requests.map((r) => [r.path, r.rawBody])).toEqual([[CHAT_PATH[kind], body]]);
  });

  it("with chatReasoningViaResponses off, reasoning_effort stays on Chat Completions byte for byte", async () => {
    const fake = scenario.fake(kind);
    const body = chatBody({ reasoning_effort: "low" });
    const sent = async () => {
      fake.reset();
      expect((await postChat(body)).status).toBe(200);
      return fake.requests.map((r) => [r.path, r.rawBody]);
    };
    expect((await sent())[0]?.[0]).toBe(RESPONSES_PATH[kind]);
    const put = await scenario.admin.call("PUT", "/api/admin/settings/gateway", { chatReasoningViaResponses: false });
    expect(put.status).toBe(200);
    try {
      await waitFor(async () => (await sent())[0]?.[0] === CHAT_PATH[kind], { what: "the setting to apply" });
      expect(await sent()).toEqual([[CHAT_PATH[kind], body]]);
    } finally {
      await scenario.admin.call("PUT", "/api/admin/settings/gateway", {});
    }
    await waitFor(async () => (await sent())[0]?.[0] === RESPONSES_PATH[kind], { what: "the default to return" });
  });
});
