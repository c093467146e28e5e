/**
 * `npm run bench -- translate [--connections 50] [--duration 8]`: throughput and latency of the gateway's lanes —
 * same-format pass-through (Chat Completions and Responses), the Anthropic→OpenAI, OpenAI→Anthropic, Responses→Anthropic
 * and Chat→Responses (a Responses-only model) conversions — each beside
 * the direct upstream figure from the same run, then time-to-first-token overhead on streams.
 */
import { parseArgs } from "node:util";
import { waitFor } from "@thinkwatch/testkit";
import { startBenchGateway } from "./_gateway.js";
import { type LoadResult, printTable, runLoad } from "./_load.js";
import { measureTtft, printTtft } from "./_ttft.js";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "8" },
    samples: { type: "string", default: "300" },
  },
});
const connections = Number(values.connections);
const durationSeconds = Number(values.duration);
const samples = Number(values.samples);

const gateway = await startBenchGateway(["openai", "anthropic"]);
const { fleet, key } = gateway;
const openai = gateway.fakes.openai as NonNullable<typeof gateway.fakes.openai>;
const anthropic = gateway.fakes.anthropic as NonNullable<typeof gateway.fakes.anthropic>;
try {
  const prompt = "benchmark the gateway";
  const chat = (model: string, stream = false) =>
    JSON.stringify({ model, stream, messages: [{ role: "user", content: prompt }] });
  const messages = (model: string, stream = false) =>
    JSON.stringify({ model, stream, max_tokens: 256, messages: [{ role: "user", content: prompt }] });
  const responses = (model: string, stream = false) => JSON.stringify({ model, stream, input: prompt });
  const json = { "content-type": "application/json" };
  const viaGateway = { ...json, authorization: `Bearer ${key}`, "anthropic-version": "2023-06-01" };
  const directOpenAi = { ...json, authorization: `Bearer ${openai.apiKey}` };
  const directAnthropic = { ...json, "x-api-key": anthropic.apiKey, "anthropic-version": "2023-06-01" };
  const gw = fleet.gatewayUrl;

  await waitFor(
    async () => (await fetch(`${gw}/v1/messages`, { method: "POST", headers: viaGateway, body: messages("gpt-4o-mini") })).ok,
    {
      what: "both providers to be routable",
    },
  );

  const lanes = [
    { lane: "direct openai", url: `${openai.baseUrl}/chat/completions`, headers: directOpenAi, body: chat("gpt-4o-mini") },
    {
      lane: "direct anthropic",
      url: `${anthropic.baseUrl}/v1/messages`,
      headers: directAnthropic,
      body: messages("claude-haiku-5-5"),
    },
    { lane: "pass-through (chat→chat)", url: `${gw}/v1/chat/completions`, headers: viaGateway, body: chat("gpt-4o-mini") },
    { lane: "anthropic→openai", url: `${gw}/v1/messages`, headers: viaGateway, body: messages("gpt-4o-mini") },
    { lane: "openai→anthropic", url: `${gw}/v1/chat/completions`, headers: viaGateway, body: chat("claude-haiku-5-5") },
    { lane: "pass-through (responses)", url: `${gw}/v1/responses`, headers: viaGateway, body: responses("gpt-4o-mini") },
    { lane: "responses→anthropic", url: `${gw}/v1/responses`, headers: viaGateway, body: responses("claude-haiku-5-5") },
    // gpt-5-pro exists only on the Responses API, so a Chat Completions request is converted to it.
    { lane: "chat→responses", url: `${gw}/v1/chat/completions`, headers: viaGateway, body: chat("gpt-5-pro") },
  ];
  console.log(`translate benchmark: ${connections} connections, ${durationSeconds} s per lane, non-streaming`);
  const results: LoadResult[] = [];
  for (const lane of lanes) {
    await runLoad({ ...lane, connections, durationSeconds: 2 });
    results.push(await runLoad({ ...lane, connections, durationSeconds }));
  }
  printTable(results, "direct openai");
  console.log("(openai→anthropic's upstream is the Anthropic fake: compare it with the direct anthropic lane)\n");

  console.log(`time to first token on streams: ${samples} requests per lane, 10 at a time`);
  const marker = "echo";
  const streams = [
    {
      lane: "direct openai stream",
      url: `${openai.baseUrl}/chat/completions`,
      headers: directOpenAi,
      body: chat("gpt-4o-mini", true),
    },
    {
      lane: "direct anthropic stream",
      url: `${anthropic.baseUrl}/v1/messages`,
      headers: directAnthropic,
      body: messages("claude-haiku-5-5", true),
    },
    { lane: "pass-through stream", url: `${gw}/v1/chat/completions`, headers: viaGateway, body: chat("gpt-4o-mini", true) },
    { lane: "anthropic→openai stream", url: `${gw}/v1/messages`, headers: viaGateway, body: messages("gpt-4o-mini", true) },
    {
      lane: "openai→anthropic stream",
      url: `${gw}/v1/chat/completions`,
      headers: viaGateway,
      body: chat("claude-haiku-5-5", true),
    },
    {
      lane: "responses pass-through stream",
      url: `${gw}/v1/responses`,
      headers: viaGateway,
      body: responses("gpt-4o-mini", true),
    },
    { lane: "chat→responses stream", url: `${gw}/v1/chat/completions`, headers: viaGateway, body: chat("gpt-5-pro", true) },
  ];
  const ttft = [];
  for (const lane of streams) {
    await measureTtft({ ...lane, marker, samples: 50, concurrency: 10 });
    ttft.push(await measureTtft({ ...lane, marker, samples, concurrency: 10 }));
  }
  printTtft(ttft);
} finally {
  await gateway.close();
}
