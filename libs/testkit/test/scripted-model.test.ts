import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { FakeConversation } from "../src/fake-upstreams/conversation.js";
import { FakeScriptSchema } from "../src/fake-upstreams/fake-script.js";
import { countFakeTokens, splitArguments, splitText } from "../src/fake-upstreams/index.js";
import { planReply } from "../src/fake-upstreams/scripted-model.js";
import { findToolMarkers } from "../src/fake-upstreams/tool-marker.js";

function conversation(overrides: Partial<FakeConversation>): FakeConversation {
  return { model: "m", system: "", messages: [], tools: [], reasoning: false, stream: false, ...overrides };
}

function ids(): () => string {
  let n = 0;
  return () => `id_${++n}`;
}

describe("countFakeTokens", () => {
  it.each([
    { text: "", tokens: 0 },
    { text: "a", tokens: 1 },
    { text: "abcd", tokens: 1 },
    { text: "abcde", tokens: 2 },
    { text: "héllo", tokens: 2 }, // 6 UTF-8 bytes
    { text: "😀😀", tokens: 2 }, // 8 UTF-8 bytes
  ])("counts $text as $tokens", ({ text, tokens }) => {
    expect(countFakeTokens(text)).toBe(tokens);
  });
});

describe("findToolMarkers", () => {
  it.each([
    { name: "one call", text: 'use tool a with {"x":1}', tools: ["a"], expected: [{ name: "a", arguments: '{"x":1}' }] },
    {
      name: "two calls",
      text: 'please use tool a with {"x":1} then use tool b with {}',
      tools: ["a", "b"],
      expected: [
        { name: "a", arguments: '{"x":1}' },
        { name: "b", arguments: "{}" },
      ],
    },
    {
      name: "nested objects and braces inside strings",
      text: 'use tool a with {"o":{"s":"}{"}} now',
      tools: ["a"],
      expected: [{ name: "a", arguments: '{"o":{"s":"}{"}}' }],
    },
    { name: "a tool that is not offered", text: 'use tool z with {"x":1}', tools: ["a"], expected: [] },
    { name: "arguments that are not JSON", text: "use tool a with {x:1}", tools: ["a"], expected: [] },
    { name: "an unclosed object", text: 'use tool a with {"x":1', tools: ["a"], expected: [] },
  ])("finds $name", ({ text, tools, expected }) => {
    expect(findToolMarkers(text, tools)).toEqual(expected);
  });
});

describe("stream pieces", () => {
  it("splits text into pieces of at most 8 characters, at least two, rejoining to the original", () => {
    expect(splitText("hi")).toEqual(["h", "i"]);
    expect(splitText("echo: Hello there")).toEqual(["echo: He", "llo ther", "e"]);
    expect(splitText("")).toEqual([]);
  });

  it("never cuts inside a surrogate pair", () => {
    const pieces = splitText("😀😀😀😀😀😀😀😀😀😀");
    expect(pieces.join("")).toBe("😀😀😀😀😀😀😀😀😀😀");
    expect(pieces.every((p) => !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });

  it("splits tool arguments into at least three fragments", () => {
    expect(splitArguments('{"a":1}')).toEqual(['{"a', '":1', "}"]);
    expect(splitArguments('{"city":"Paris","days":[1,2,3]}').length).toBeGreaterThanOrEqual(3);
  });
});

describe("planReply", () => {
  const user = (text: string) => ({ role: "user" as const, parts: [{ type: "text" as const, text }] });

  it("echoes the last user turn and computes usage by the documented rule", () => {
    const reply = planReply(
      conversation({
        system: "sys",
        messages: [user("first"), { role: "assistant", parts: [{ type: "text", text: "ok" }] }, user("second")],
      }),
      undefined,
      ids(),
    );
    expect(reply).toEqual({
      text: "echo: second",
      reasoning: undefined,
      reasoningSignature: undefined,
      toolCalls: [],
      finishReason: "stop",
      usage: {
        inputTokens: countFakeTokens("sys") + countFakeTokens("first") + countFakeTokens("ok") + countFakeTokens("second"),
        outputTokens: countFakeTokens("echo: second"),
        cachedInputTokens: 0,
        cacheCreationInputTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it("calls offered tools named in the prompt, with fresh ids", () => {
    const reply = planReply(
      conversation({ tools: [{ name: "a" }], messages: [user('use tool a with {"q":1} and use tool a with {"q":2}')] }),
      undefined,
      ids(),
    );
    expect(reply.toolCalls).toEqual([
      { id: "id_1", name: "a", arguments: '{"q":1}' },
      { id: "id_2", name: "a", arguments: '{"q":2}' },
    ]);
    expect(reply).toMatchObject({ text: "", finishReason: "tool_calls" });
  });

  it("answers tool results, falling back to the call's name from the assistant turn", () => {
    const reply = planReply(
      conversation({
        messages: [
          user("go"),
          { role: "assistant", parts: [{ type: "tool_call", id: "c1", name: "lookup", arguments: "{}" }] },
          { role: "tool", parts: [{ type: "tool_result", toolCallId: "c1", content: "found" }] },
          { role: "tool", parts: [{ type: "tool_result", toolCallId: "c9", name: "named", content: "x" }] },
        ],
      }),
      undefined,
      ids(),
    );
    expect(reply.text).toBe("tool lookup returned: found\ntool named returned: x");
  });

  it("reasons when asked, with a stable signature", () => {
    const convo = conversation({ reasoning: true, messages: [user("why")] });
    const a = planReply(convo, undefined, ids());
    const b = planReply(convo, undefined, ids());
    expect(a.reasoning).toBe("thinking about: why");
    expect(a.reasoningSignature).toBe(b.reasoningSignature);
    expect(a.usage.reasoningTokens).toBe(countFakeTokens("thinking about: why"));
    expect(a.usage.outputTokens).toBe(countFakeTokens("thinking about: why") + countFakeTokens("echo: why"));
  });

  it("takes a scripted step literally: text, tool calls, reasoning, finish reason and usage overrides", () => {
    const step = v.parse(FakeScriptSchema, {
      text: "scripted",
      toolCalls: [{ name: "t", arguments: "not json" }],
      reasoning: "hmm",
      finishReason: "content_filter",
      usage: { inputTokens: 1000, cachedInputTokens: 900 },
    });
    const reply = planReply(conversation({ maxOutputTokens: 1, messages: [user("ignored")] }), step, ids());
    expect(reply).toMatchObject({
      text: "scripted",
      toolCalls: [{ id: "id_1", name: "t", arguments: "not json" }],
      reasoning: "hmm",
      finishReason: "content_filter",
      usage: {
        inputTokens: 1000,
        cachedInputTokens: 900,
        outputTokens: countFakeTokens("scripted") + countFakeTokens("hmm") + countFakeTokens("tnot json"),
      },
    });
  });
});
