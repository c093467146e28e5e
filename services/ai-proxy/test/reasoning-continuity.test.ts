/**
 * Reasoning that survives every hop: each client API (official SDK) runs a two-turn tool loop with thinking on
 * against each upstream kind that signs its reasoning, and the fake upstream's record shows, on turn two, the
 * vendor's own token back in the vendor's own field — Anthropic and Bedrock thinking signatures, Gemini's function
 * call thought signature (never the skip-validator stand-in), OpenAI's encrypted reasoning — whatever the client's
 * format. Turn one is checked too: thinking was asked for upstream.
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

let scenario: GatewayScenario;
let clients: ReasoningClient[] = [];

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: [...KINDS] });
  for (const kind of KINDS) {
    await scenario.addProvider(kind, {
      models: [{ model: `think-${kind}`, upstreamModel: UPSTREAM_MODELS[kind] }],
      ...(kind === "azure_openai" && {
        settings: { apiVersion: "2025-04-01-preview", responsesModels: [UPSTREAM_MODELS[kind]] },
      }),
    });
  }
  const key = await scenario.createKey({ name: "reasoning" });
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
