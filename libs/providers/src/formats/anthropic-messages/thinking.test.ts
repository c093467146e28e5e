import { describe, expect, it } from "vitest";
import type { CanonicalRequest } from "../../canonical/request.js";
import { decodeAnthropicRequest } from "./request-decode.js";
import { encodeAnthropicRequest } from "./request-encode.js";

const base = { model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "hi" }] };
const opts = { upstreamModel: "claude-up" };

describe("Anthropic thinking", () => {
  const withReasoning = (reasoning: CanonicalRequest["reasoning"], extra: Partial<CanonicalRequest> = {}) => ({
    ...decodeAnthropicRequest(base),
    reasoning,
    ...extra,
  });

  it.each([
    [
      "a budget within max_tokens",
      { enabled: true, budgetTokens: 3000 },
      4000,
      { max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 3000 } },
    ],
    [
      "a budget below Anthropic's minimum, raised to it",
      { enabled: true, budgetTokens: 600 },
      4000,
      { max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 1024 } },
    ],
    [
      "a budget above max_tokens, capped below it",
      { enabled: true, budgetTokens: 8000 },
      4000,
      { max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 3999 } },
    ],
    [
      "an effort, as its budget",
      { enabled: true, effort: "low" as const },
      4000,
      { max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 2048 } },
    ],
    ["a max_tokens too small for the minimum budget", { enabled: true, effort: "high" as const }, 1000, { max_tokens: 1000 }],
    ["thinking switched off", { enabled: false }, 1024, { max_tokens: 1024 }],
    [
      "adaptive thinking with an effort",
      { enabled: true, adaptive: true, effort: "medium" as const },
      1024,
      { max_tokens: 1024, thinking: { type: "adaptive" }, output_config: { effort: "medium" } },
    ],
  ])("encodes %s", (_name, reasoning, maxTokens, expected) => {
    const body = encodeAnthropicRequest(withReasoning(reasoning, { maxTokens }), opts);
    expect({ max_tokens: body.max_tokens, thinking: body.thinking, output_config: body.output_config }).toEqual({
      thinking: undefined,
      output_config: undefined,
      ...expected,
    });
  });

  it("grows a defaulted max_tokens by the budget instead of capping the budget", () => {
    const body = encodeAnthropicRequest(withReasoning({ enabled: true, budgetTokens: 16000 }, { maxTokens: undefined }), {
      ...opts,
      defaultMaxTokens: 4096,
    });
    expect(body).toMatchObject({ max_tokens: 20096, thinking: { type: "enabled", budget_tokens: 16000 } });
  });

  it("turns thinking off when the last tool-use turn has no signed thinking, and keeps it when it has", () => {
    const unsigned = withReasoning(
      { enabled: true, budgetTokens: 2000 },
      {
        maxTokens: 8000,
        messages: [
          { role: "user", content: [{ type: "text", text: "weather?" }] },
          { role: "assistant", content: [{ type: "tool_call", id: "t1", name: "w", arguments: "{}" }] },
          { role: "user", content: [{ type: "tool_result", toolCallId: "t1", content: [{ type: "text", text: "sunny" }] }] },
        ],
      },
    );
    expect(encodeAnthropicRequest(unsigned, opts).thinking).toBeUndefined();
    const signed = structuredClone(unsigned);
    signed.messages[1]?.content.unshift({ type: "reasoning", text: "use the tool", signature: "sig" } as never);
    const body = encodeAnthropicRequest(signed, opts);
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 2000 });
    expect((body.messages as Array<{ content: unknown[] }>)[1]?.content[0]).toEqual({
      type: "thinking",
      thinking: "use the tool",
      signature: "sig",
    });
  });
});
