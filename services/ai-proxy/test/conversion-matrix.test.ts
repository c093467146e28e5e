/**
 * Every client API × every upstream kind × {stream, non-stream} × {plain text, tool-call round trip, image input},
 * driven through the gateway by the official SDK of the client API against fakes that speak each provider's wire
 * protocol. Asserts content, tool names and arguments, finish reason and usage on every lane.
 */
import { type FakeUpstreamKind, type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anthropicClient,
  geminiClient,
  type InboundClient,
  openAiChatClient,
  openAiResponsesClient,
  PNG_BYTES,
  type ToolSpec,
} from "./support/inbound-clients.js";

const KINDS: FakeUpstreamKind[] = ["openai", "openai_compatible", "azure_openai", "anthropic", "gemini", "bedrock"];
const UPSTREAM_MODELS: Record<FakeUpstreamKind, string> = {
  openai: "gpt-4o-mini",
  openai_compatible: "llama-3.1-8b-instruct",
  azure_openai: "gpt4o-prod-deployment",
  anthropic: "claude-sonnet-5-5",
  gemini: "gemini-2.5-flash",
  bedrock: "anthropic.claude-3-5-sonnet-20240620-v1:0",
};
const TOOLS: ToolSpec[] = [
  {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
  {
    name: "get_time",
    description: "Time in a zone",
    parameters: { type: "object", properties: { tz: { type: "string" } }, required: ["tz"] },
  },
];

let scenario: GatewayScenario;
let clients: InboundClient[] = [];

beforeAll(async () => {
  // addProvider refuses (throws) anything but a 201, so every provider below exists.
  scenario = await startGatewayScenario({ fakes: KINDS, record: false });
  for (const kind of KINDS) {
    await scenario.addProvider(kind, { models: [{ model: `mx-${kind}`, upstreamModel: UPSTREAM_MODELS[kind] }] });
  }
  const key = await scenario.createKey({ name: "matrix" });
  const gateway = scenario.fleet.gatewayUrl;
  clients = [
    openAiChatClient(gateway, key),
    anthropicClient(gateway, key),
    openAiResponsesClient(gateway, key),
    geminiClient(gateway, key),
  ];
  const probe = clients[0] as InboundClient;
  await waitFor(() => probe.send("mx-bedrock", { prompt: "ready?", stream: false }), { what: "every provider to be routable" });
});

afterAll(async () => {
  await scenario?.close();
});

const CLIENT_NAMES = ["openai_chat", "anthropic_messages", "openai_responses", "gemini"] as const;
const client = (name: (typeof CLIENT_NAMES)[number]) => clients.find((c) => c.name === name) as InboundClient;

describe.each(CLIENT_NAMES)("%s clients", (clientName) => {
  describe.each(KINDS)("→ %s upstream", (kind) => {
    const model = `mx-${kind}`;

    it.each([false, true])("plain text (stream: %s)", async (stream) => {
      const outcome = await client(clientName).send(model, { prompt: "hello from the matrix", stream });
      expect(outcome.text).toBe("echo: hello from the matrix");
      expect(outcome.toolCalls).toEqual([]);
      expect(outcome.finish).toBe(client(clientName).finish.text);
      expect(outcome.inputTokens).toBeGreaterThan(0);
      expect(outcome.outputTokens).toBeGreaterThan(0);
    });

    it.each([false, true])("image input (stream: %s)", async (stream) => {
      const outcome = await client(clientName).send(model, { prompt: "what is this?", image: true, stream });
      expect(outcome.text).toContain("echo: what is this?");
      expect(outcome.text).toContain(`saw image: image/png, ${PNG_BYTES} bytes`);
      expect(outcome.inputTokens).toBeGreaterThan(85);
    });

    it.each([false, true])("parallel tool calls and their results, round trip (stream: %s)", async (stream) => {
      const sdk = client(clientName);
      const first = await sdk.send(model, {
        prompt: 'use tool get_weather with {"city":"Paris"} and use tool get_time with {"tz":"Europe/Paris"}',
        tools: TOOLS,
        stream,
      });
      expect(first.toolCalls.map((call) => ({ name: call.name, args: call.args }))).toEqual([
        { name: "get_weather", args: { city: "Paris" } },
        { name: "get_time", args: { tz: "Europe/Paris" } },
      ]);
      expect(first.finish).toBe(sdk.finish.tool);
      expect(first.outputTokens).toBeGreaterThan(0);
      const second = await sdk.send(model, {
        prompt: "what did the tools say?",
        tools: TOOLS,
        stream,
        toolResults: { calls: first.toolCalls, results: ["18C and sunny", "14:05"] },
      });
      expect(second.text).toContain("tool get_weather returned: 18C and sunny");
      expect(second.text).toContain("tool get_time returned: 14:05");
      expect(second.toolCalls).toEqual([]);
      expect(second.finish).toBe(sdk.finish.text);
    });
  });
});
