import type { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import { UPSTREAM_RESPONSES } from "../../test/fixtures/response-fixtures.js";
import type { CanonicalResponse } from "../canonical/response.js";
import type { CanonicalUsage } from "../canonical/usage.js";
import type { ApiFormat, InboundFormat } from "../formats.js";
import { decodeResponse, encodeResponse } from "./response-codecs.js";

const thinking = { type: "reasoning", text: "Need the weather for two cities." } as const;
const text = { type: "text", text: "Checking both cities." } as const;
const paris = { type: "tool_call", id: "call_a", name: "get_weather", arguments: '{"city":"Paris"}' } as const;
const tokyo = { type: "tool_call", id: "call_b", name: "get_weather", arguments: '{"city":"Tokyo"}' } as const;
const SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3h";

const EXPECTED: Record<ApiFormat, CanonicalResponse> = {
  openai_chat: {
    id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    model: "gpt-4o-2024-08-06",
    content: [thinking, text, paris, tokyo],
    finishReason: "tool_calls",
    usage: { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100, reasoningTokens: 12 },
  },
  anthropic_messages: {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    model: "claude-sonnet-4-5-20250929",
    content: [{ ...thinking, signature: SIGNATURE }, text, paris, tokyo],
    finishReason: "tool_calls",
    usage: { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100, cacheWriteInputTokens: 0 },
  },
  gemini: {
    id: "mKzKaMTqF4-b1dkP9rS5yQ4",
    model: "gemini-2.5-pro",
    content: [
      thinking,
      text,
      { ...paris, id: expect.stringMatching(/^call_/) as unknown as string, thoughtSignature: "CiQB0e2Kb7Hx" },
      { ...tokyo, id: expect.stringMatching(/^call_/) as unknown as string },
    ],
    finishReason: "tool_calls",
    usage: { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100, reasoningTokens: 12 },
  },
  bedrock_converse: {
    id: "",
    model: "",
    content: [{ ...thinking, signature: SIGNATURE }, text, paris, tokyo],
    finishReason: "tool_calls",
    usage: { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100, cacheWriteInputTokens: 0 },
  },
  openai_responses: {
    id: "resp_67ccd3a9da748190baa7f1570fe91ac6",
    model: "gpt-5-2025-08-07",
    content: [thinking, text, paris, tokyo],
    finishReason: "tool_calls",
    usage: { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100, reasoningTokens: 12 },
  },
};

const FORMATS = Object.keys(UPSTREAM_RESPONSES) as ApiFormat[];
const INBOUND: InboundFormat[] = ["openai_chat", "anthropic_messages", "openai_responses", "gemini"];
const opts = { model: "client-model", requestId: "req_123", created: 1700000000 };

describe("decodeResponse", () => {
  it.each(FORMATS)("decodes the %s reply into the full canonical response", (format) => {
    expect(decodeResponse(format, UPSTREAM_RESPONSES[format])).toEqual(EXPECTED[format]);
  });

  it("gives Gemini's id-less function calls distinct ids", () => {
    const [, , first, second] = decodeResponse("gemini", UPSTREAM_RESPONSES.gemini).content;
    expect(first?.type === "tool_call" && second?.type === "tool_call" && first.id !== second.id).toBe(true);
  });

  it.each(FORMATS)("reports an unreadable %s reply as a 502 upstream error", (format) => {
    const error = (() => {
      try {
        decodeResponse(format, { choices: "nope", content: 5, output: 7, candidates: 9 });
      } catch (caught) {
        return caught as AppError;
      }
    })();
    expect(error?.code).toBe("upstream_error");
    expect(error?.status).toBe(502);
    expect(error?.message).toMatch(/returned a response the gateway cannot read at /);
  });
});

describe("encodeResponse", () => {
  const golden: CanonicalResponse = {
    ...EXPECTED.anthropic_messages,
    usage: { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100, cacheWriteInputTokens: 5, reasoningTokens: 12 },
  };

  it("writes an OpenAI Chat completion", () => {
    expect(encodeResponse("openai_chat", golden, opts)).toEqual({
      id: "chatcmpl-req_123",
      object: "chat.completion",
      created: 1700000000,
      model: "client-model",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Checking both cities.",
            refusal: null,
            reasoning_content: "Need the weather for two cities.",
            // The signed block, so a Chat Completions client can send Anthropic's signature back next turn.
            thinking_blocks: [
              { type: "thinking", thinking: "Need the weather for two cities.", signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3h" },
            ],
            tool_calls: [
              { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
              { id: "call_b", type: "function", function: { name: "get_weather", arguments: '{"city":"Tokyo"}' } },
            ],
          },
          logprobs: null,
          finish_reason: "tool_calls",
        },
      ],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 40,
        total_tokens: 160,
        prompt_tokens_details: { cached_tokens: 100 },
        completion_tokens_details: { reasoning_tokens: 12 },
      },
    });
  });

  it("writes an Anthropic message, subtracting cache reads and writes from input_tokens", () => {
    expect(encodeResponse("anthropic_messages", golden, opts)).toEqual({
      id: "msg_req_123",
      type: "message",
      role: "assistant",
      model: "client-model",
      content: [
        { type: "thinking", thinking: "Need the weather for two cities.", signature: SIGNATURE },
        { type: "text", text: "Checking both cities." },
        { type: "tool_use", id: "call_a", name: "get_weather", input: { city: "Paris" } },
        { type: "tool_use", id: "call_b", name: "get_weather", input: { city: "Tokyo" } },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 15, cache_creation_input_tokens: 5, cache_read_input_tokens: 100, output_tokens: 40 },
    });
  });

  it("writes a Responses object with the signature carried in encrypted_content", () => {
    expect(encodeResponse("openai_responses", golden, opts)).toEqual({
      id: "resp_req_123",
      object: "response",
      created_at: 1700000000,
      status: "completed",
      error: null,
      incomplete_details: null,
      instructions: null,
      max_output_tokens: null,
      model: "client-model",
      output: [
        {
          id: "rs_req_123_0",
          type: "reasoning",
          summary: [{ type: "summary_text", text: "Need the weather for two cities." }],
          encrypted_content: `tw1.sig.${SIGNATURE}`,
        },
        {
          id: "msg_req_123_1",
          type: "message",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: "Checking both cities.", annotations: [], logprobs: [] }],
        },
        {
          id: "fc_req_123_2",
          type: "function_call",
          status: "completed",
          arguments: '{"city":"Paris"}',
          call_id: "call_a",
          name: "get_weather",
        },
        {
          id: "fc_req_123_3",
          type: "function_call",
          status: "completed",
          arguments: '{"city":"Tokyo"}',
          call_id: "call_b",
          name: "get_weather",
        },
      ],
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: null, summary: null },
      store: false,
      text: { format: { type: "text" } },
      tool_choice: "auto",
      tools: [],
      truncation: "disabled",
      usage: {
        input_tokens: 120,
        input_tokens_details: { cached_tokens: 100 },
        output_tokens: 40,
        output_tokens_details: { reasoning_tokens: 12 },
        total_tokens: 160,
      },
      metadata: {},
    });
  });

  it("writes a Gemini response, reporting thoughts apart from candidates", () => {
    expect(encodeResponse("gemini", golden, opts)).toEqual({
      candidates: [
        {
          content: {
            role: "model",
            parts: [
              // Anthropic's signature rides the thought signature, prefixed so the next turn restores it.
              {
                text: "Need the weather for two cities.",
                thought: true,
                thoughtSignature: "tw1.sig.EqQBCgIYAhIM1gbcDa9GJwZA2b3h",
              },
              { text: "Checking both cities." },
              { functionCall: { id: "call_a", name: "get_weather", args: { city: "Paris" } } },
              { functionCall: { id: "call_b", name: "get_weather", args: { city: "Tokyo" } } },
            ],
          },
          finishReason: "STOP",
          index: 0,
        },
      ],
      usageMetadata: {
        promptTokenCount: 120,
        candidatesTokenCount: 28,
        totalTokenCount: 160,
        cachedContentTokenCount: 100,
        thoughtsTokenCount: 12,
      },
      modelVersion: "client-model",
      responseId: "req_123",
    });
  });
});

/** What a client of `through` can learn about a reply: the fields its format has no place for are left out. */
function replySemantics(res: CanonicalResponse, through: InboundFormat) {
  const usage: Partial<CanonicalUsage> = {
    inputTokens: res.usage.inputTokens,
    outputTokens: res.usage.outputTokens,
    cachedInputTokens: res.usage.cachedInputTokens ?? 0,
  };
  if (through === "anthropic_messages") usage.cacheWriteInputTokens = res.usage.cacheWriteInputTokens ?? 0;
  else usage.reasoningTokens = res.usage.reasoningTokens ?? 0;
  return {
    content: res.content.map((part) =>
      part.type === "tool_call" ? { call: part.name, id: part.id, args: JSON.parse(part.arguments) } : { [part.type]: part.text },
    ),
    finishReason: res.finishReason,
    usage,
  };
}

describe("every upstream reply × every client format", () => {
  const pairs = (["openai_chat", "anthropic_messages", "gemini", "bedrock_converse"] as const).flatMap((upstream) =>
    INBOUND.map((inbound) => [upstream, inbound] as const),
  );

  it.each(pairs)("%s reply → %s client keeps text, reasoning, parallel calls, finish and usage", (upstream, inbound) => {
    const canonical = decodeResponse(upstream, UPSTREAM_RESPONSES[upstream]);
    const seenByClient = decodeResponse(inbound, encodeResponse(inbound, canonical, opts));
    expect(replySemantics(seenByClient, inbound)).toEqual(replySemantics(canonical, inbound));
  });

  it("an Anthropic signature survives a Responses client's round trip", () => {
    const canonical = decodeResponse("anthropic_messages", UPSTREAM_RESPONSES.anthropic_messages);
    const back = decodeResponse("openai_responses", encodeResponse("openai_responses", canonical, opts));
    expect(back.content[0]).toEqual({ type: "reasoning", text: "Need the weather for two cities.", signature: SIGNATURE });
  });

  it("a Gemini thought signature survives an OpenAI Chat client's round trip", () => {
    const canonical = decodeResponse("gemini", UPSTREAM_RESPONSES.gemini);
    const back = decodeResponse("openai_chat", encodeResponse("openai_chat", canonical, opts));
    expect(back.content[2]).toMatchObject({ type: "tool_call", thoughtSignature: "CiQB0e2Kb7Hx" });
  });
});
