/**
 * The head of a request read without its conversation means what the whole decode says: for each inbound format,
 * decodeRequestHead on the members around the conversation equals the head of decodeRequest on the whole body.
 */
import { describe, expect, it } from "vitest";
import type { InboundFormat } from "../formats.js";
import { decodeRequest } from "./request-codecs.js";
import { CONVERSATION_MEMBER, decodeRequestHead, requestHeadOf } from "./request-head.js";

const BODIES: Array<{ format: InboundFormat; body: Record<string, unknown>; url?: { model: string; stream: boolean } }> = [
  {
    format: "openai_chat",
    body: {
      model: "gpt-4o",
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 900,
      reasoning_effort: "high",
      tools: [{ type: "function", function: { name: "read", parameters: { type: "object", properties: {} } } }],
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hi" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "read", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "c1", content: "file" },
      ],
    },
  },
  { format: "openai_chat", body: { model: "gpt-4o-mini", max_tokens: 12, messages: [{ role: "user", content: "hi" }] } },
  {
    format: "anthropic_messages",
    body: {
      model: "claude-sonnet-4-5",
      max_tokens: 2048,
      stream: true,
      thinking: { type: "enabled", budget_tokens: 1024 },
      system: [{ type: "text", text: "You are a coding agent." }],
      messages: [
        { role: "user", content: [{ type: "text", text: "read it" }] },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "read", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "file" }] },
      ],
      tools: [{ name: "read", input_schema: { type: "object" } }],
    },
  },
  {
    format: "openai_responses",
    body: {
      model: "gpt-5",
      stream: false,
      max_output_tokens: 333,
      reasoning: { effort: "low", summary: "auto" },
      instructions: "be brief",
      input: [{ role: "user", content: [{ type: "input_text", text: "hi" }] }],
    },
  },
  {
    format: "gemini",
    url: { model: "gemini-2.5-pro", stream: true },
    body: {
      generationConfig: { maxOutputTokens: 77, thinkingConfig: { thinkingBudget: 512, includeThoughts: true } },
      systemInstruction: { parts: [{ text: "be brief" }] },
      contents: [
        { role: "user", parts: [{ text: "hi" }] },
        { role: "model", parts: [{ text: "hello" }] },
        { role: "user", parts: [{ text: "again" }] },
      ],
    },
  },
];

describe("decodeRequestHead", () => {
  it.each(BODIES.map((case_) => [`${case_.format} ${String(case_.body.model ?? case_.url?.model)}`, case_] as const))(
    "reads the head of %s as the whole decode does",
    (_name, { format, body, url }) => {
      const members = Object.fromEntries(Object.entries(body).filter(([key]) => key !== CONVERSATION_MEMBER[format]));
      const whole = requestHeadOf(decodeRequest(format, body, url ?? {}));
      expect(decodeRequestHead(format, members, url ?? {})).toEqual(whole);
      // The cases do exercise the head's optional fields.
      expect(whole.maxTokens).toBeDefined();
    },
  );

  it("throws what the whole decode throws for a bad member around the conversation", () => {
    const members = { model: "gpt-4o", max_tokens: "many" };
    expect(() => decodeRequestHead("openai_chat", members)).toThrow(/max_tokens/);
    expect(() => decodeRequest("openai_chat", { ...members, messages: [{ role: "user", content: "hi" }] })).toThrow(/max_tokens/);
  });
});
