import type { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import type { CanonicalRequest } from "../../canonical/request.js";
import { decodeAnthropicRequest } from "./request-decode.js";
import { encodeAnthropicRequest } from "./request-encode.js";

const base = { model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "hi" }] };
const opts = { upstreamModel: "claude-up" };

function validationMessage(body: unknown, countTokens = false): string {
  try {
    decodeAnthropicRequest(body, { countTokens });
  } catch (error) {
    expect((error as AppError).code).toBe("validation_failed");
    return (error as AppError).message;
  }
  throw new Error("expected a validation error");
}

describe("Anthropic request validation", () => {
  it.each([
    ["a missing max_tokens", { model: "m", messages: base.messages }, "invalid request: max_tokens is required"],
    ["a missing model", { max_tokens: 5, messages: base.messages }, "invalid request: model is required"],
    ["missing messages", { model: "m", max_tokens: 5 }, "invalid request: messages is required"],
    [
      "an unknown role in messages",
      { ...base, messages: [{ role: "tool", content: "x" }] },
      'messages[0].role must be one of "user" | "assistant" | "system" (got "tool")',
    ],
    [
      "a tool_use block without input",
      { ...base, messages: [{ role: "assistant", content: [{ type: "tool_use", id: "t", name: "n" }] }] },
      "messages[0].content[0].input is required",
    ],
    [
      "an image without source",
      { ...base, messages: [{ role: "user", content: [{ type: "image" }] }] },
      "messages[0].content[0].source is required",
    ],
    [
      "thinking with a string budget",
      { ...base, thinking: { type: "enabled", budget_tokens: "lots" } },
      'thinking.budget_tokens must be number (got "lots")',
    ],
    ["a tool without input_schema", { ...base, tools: [{ name: "t" }] }, "tools[0].input_schema is required"],
    [
      "an image in an assistant turn",
      { ...base, messages: [{ role: "assistant", content: [{ type: "image", source: { type: "url", url: "u" } }] }] },
      "messages[0].content[0] (image) may only appear in user messages",
    ],
  ])("names the field for %s", (_name, body, expected) => {
    expect(validationMessage(body)).toContain(expected);
  });

  it("accepts a count_tokens body without max_tokens only in count-tokens mode", () => {
    const body = { model: "m", messages: [{ role: "user", content: "hi" }] };
    expect(decodeAnthropicRequest(body, { countTokens: true }).maxTokens).toBeUndefined();
    expect(validationMessage(body)).toBe("invalid request: max_tokens is required");
  });
});

describe("Anthropic request decoding", () => {
  it("reads cache breakpoints, documents, thinking blocks, server tools and metadata", () => {
    const req = decodeAnthropicRequest({
      ...base,
      system: [{ type: "text", text: "long prompt", cache_control: { type: "ephemeral", ttl: "1h" } }],
      messages: [
        {
          role: "user",
          content: [
            { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" }, title: "spec.pdf" },
            { type: "document", source: { type: "text", media_type: "text/plain", data: "plain words" } },
            { type: "text", text: "summarise", cache_control: { type: "ephemeral" } },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "let me think", signature: "sig-1" },
            { type: "redacted_thinking", data: "opaque" },
            { type: "server_tool_use", id: "srv_1", name: "web_search", input: { query: "x" } },
          ],
        },
      ],
      tools: [{ type: "web_search_20250305", name: "web_search", max_uses: 3 }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      metadata: { user_id: "user-42" },
      top_k: 40,
    });
    expect(req).toEqual({
      model: "claude-sonnet-4-5",
      system: [{ text: "long prompt", cacheControl: { type: "ephemeral", ttl: "1h" } }],
      messages: [
        {
          role: "user",
          content: [
            { type: "file", source: { kind: "base64", mediaType: "application/pdf", data: "JVBERi0=" }, filename: "spec.pdf" },
            {
              type: "file",
              source: { kind: "base64", mediaType: "text/plain", data: Buffer.from("plain words").toString("base64") },
            },
            { type: "text", text: "summarise", cacheControl: { type: "ephemeral" } },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "reasoning", text: "let me think", signature: "sig-1" },
            { type: "reasoning", text: "", redactedData: "opaque" },
            {
              type: "native",
              format: "anthropic_messages",
              raw: { type: "server_tool_use", id: "srv_1", name: "web_search", input: { query: "x" } },
            },
          ],
        },
      ],
      tools: [],
      nativeTools: { format: "anthropic_messages", tools: [{ type: "web_search_20250305", name: "web_search", max_uses: 3 }] },
      toolChoice: { type: "required" },
      parallelToolCalls: false,
      maxTokens: 1024,
      topK: 40,
      user: "user-42",
      userFromMetadata: true,
      stream: false,
      includeUsage: true,
    });
  });

  it("re-encodes its own native tools and blocks, and refuses server tools for another upstream", () => {
    const req = decodeAnthropicRequest({ ...base, tools: [{ type: "web_search_20250305", name: "web_search" }] });
    expect(encodeAnthropicRequest(req, opts).tools).toEqual([{ type: "web_search_20250305", name: "web_search" }]);
  });
});

describe("Anthropic request encoding", () => {
  it("maps every tool choice, and the parallel flag onto disable_parallel_tool_use", () => {
    const withTools = (extra: Partial<CanonicalRequest>) =>
      encodeAnthropicRequest(
        { ...decodeAnthropicRequest(base), tools: [{ name: "t", parameters: { type: "object" } }], ...extra },
        opts,
      ).tool_choice;
    expect(withTools({ toolChoice: { type: "auto" } })).toEqual({ type: "auto" });
    expect(withTools({ toolChoice: { type: "none" } })).toEqual({ type: "none" });
    expect(withTools({ toolChoice: { type: "required" } })).toEqual({ type: "any" });
    expect(withTools({ toolChoice: { type: "tool", name: "t" } })).toEqual({ type: "tool", name: "t" });
    expect(withTools({ parallelToolCalls: false })).toEqual({ type: "auto", disable_parallel_tool_use: true });
    expect(withTools({ toolChoice: { type: "required" }, parallelToolCalls: false })).toEqual({
      type: "any",
      disable_parallel_tool_use: true,
    });
  });

  it("makes tool ids Anthropic-safe consistently on calls and results, and drops unsigned reasoning", () => {
    const body = encodeAnthropicRequest(
      {
        ...decodeAnthropicRequest(base),
        messages: [
          {
            role: "assistant",
            content: [
              { type: "reasoning", text: "no signature" },
              { type: "tool_call", id: "call:1.a", name: "w", arguments: '{"x":1}' },
            ],
          },
          {
            role: "user",
            content: [
              { type: "text", text: "after" },
              { type: "tool_result", toolCallId: "call:1.a", content: [{ type: "text", text: "r" }], isError: true },
            ],
          },
        ],
      },
      opts,
    );
    expect(body.messages).toEqual([
      { role: "assistant", content: [{ type: "tool_use", id: "call_1_a", name: "w", input: { x: 1 } }] },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1_a", content: [{ type: "text", text: "r" }], is_error: true },
          { type: "text", text: "after" },
        ],
      },
    ]);
  });

  it("skips a turn emptied by dropped blocks and merges the user turns around it", () => {
    const body = encodeAnthropicRequest(
      {
        ...decodeAnthropicRequest(base),
        messages: [
          { role: "user", content: [{ type: "text", text: "one" }] },
          {
            role: "assistant",
            content: [
              { type: "reasoning", text: "unsigned, from another vendor" },
              { type: "text", text: "" },
            ],
          },
          { role: "user", content: [{ type: "text", text: "two" }] },
        ],
      },
      opts,
    );
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "one" },
          { type: "text", text: "two" },
        ],
      },
    ]);
  });

  it("refuses tool-call arguments that are not JSON, naming the call", () => {
    const req: CanonicalRequest = {
      ...decodeAnthropicRequest(base),
      messages: [{ role: "assistant", content: [{ type: "tool_call", id: "c9", name: "w", arguments: "{oops" }] }],
    };
    expect(() => encodeAnthropicRequest(req, opts)).toThrow(
      "the arguments of tool call c9 is not valid JSON; tool-call arguments must be a JSON object",
    );
  });

  it("refuses audio and unsupported documents, accepts PDFs and plain text", () => {
    const withFile = (mediaType: string) =>
      encodeAnthropicRequest(
        {
          ...decodeAnthropicRequest(base),
          messages: [{ role: "user", content: [{ type: "file", source: { kind: "base64", mediaType, data: "aGk=" } }] }],
        },
        opts,
      );
    expect(() => withFile("audio/wav")).toThrow(/audio_input is not supported when the upstream API is anthropic_messages/);
    expect(() => withFile("application/zip")).toThrow(/document_type is not supported/);
    expect((withFile("text/plain").messages as Array<{ content: unknown[] }>)[0]?.content).toEqual([
      { type: "document", source: { type: "text", media_type: "text/plain", data: "hi" } },
    ]);
    expect((withFile("application/pdf").messages as Array<{ content: unknown[] }>)[0]?.content).toEqual([
      { type: "document", source: { type: "base64", media_type: "application/pdf", data: "aGk=" } },
    ]);
  });
});

describe("Anthropic system turns inside messages", () => {
  it("joins them to the system prompt in order, as Claude Code's per-turn instructions", () => {
    const req = decodeAnthropicRequest({
      model: "m",
      max_tokens: 5,
      system: "base",
      messages: [
        { role: "user", content: "hi" },
        { role: "system", content: [{ type: "text", text: "# Environment" }] },
        { role: "assistant", content: "hello" },
        { role: "system", content: "later" },
      ],
    });
    expect(req.system).toEqual([{ text: "base" }, { text: "# Environment" }, { text: "later" }]);
    expect(req.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  });
});
