import { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import { decodeOpenAiChatRequest } from "./request-decode.js";
import { encodeOpenAiChatRequest } from "./request-encode.js";

const base = { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] };

function validationMessage(body: unknown): string {
  try {
    decodeOpenAiChatRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("validation_failed");
    return (error as AppError).message;
  }
  throw new Error("expected a validation error");
}

describe("OpenAI Chat request validation", () => {
  it.each([
    ["a missing model", { messages: base.messages }, "invalid request: model is required"],
    ["an empty model", { ...base, model: "" }, "invalid request: model: must not be empty"],
    ["no messages", { model: "gpt-4o", messages: [] }, "invalid request: messages: must contain at least one message"],
    ["messages that are not an array", { model: "gpt-4o", messages: "hi" }, 'invalid request: messages must be array (got "hi")'],
    [
      "an unknown role",
      { ...base, messages: [{ role: "robot", content: "x" }] },
      'messages[0].role must be one of "system" | "developer" | "user" | "assistant" | "tool" | "function" (got "robot")',
    ],
    [
      "a number as content",
      { ...base, messages: [{ role: "user", content: 5 }] },
      "messages[0].content must be string | array (got 5)",
    ],
    [
      "a text part without text",
      { ...base, messages: [{ role: "user", content: [{ type: "text" }] }] },
      "messages[0].content[0].text is required",
    ],
    [
      "a tool message without its call id",
      { ...base, messages: [{ role: "tool", content: "x" }] },
      "messages[0].tool_call_id is required",
    ],
    ["temperature as a string", { ...base, temperature: "hot" }, 'temperature must be number (got "hot")'],
    ["a fractional max_tokens", { ...base, max_tokens: 1.5 }, "max_tokens: Invalid integer: Received 1.5"],
    ["an unknown reasoning effort", { ...base, reasoning_effort: "extreme" }, "reasoning_effort must be"],
    [
      "a tool without a name",
      { ...base, tools: [{ type: "function", function: { description: "x" } }] },
      "tools[0].function.name is required",
    ],
  ])("names the field for %s", (_name, body, expected) => {
    expect(validationMessage(body)).toContain(expected);
  });

  it("refuses a body that is not a JSON object", () => {
    expect(validationMessage([1, 2])).toBe("invalid request: the body must be a JSON object");
  });

  it("tolerates unknown vendor fields and keeps them for an OpenAI upstream only", () => {
    const req = decodeOpenAiChatRequest({ ...base, logprobs: true, vendor_extra: { a: 1 } });
    expect(req.passthrough).toEqual({ format: "openai_chat", fields: { logprobs: true, vendor_extra: { a: 1 } } });
    expect(encodeOpenAiChatRequest(req, { upstreamModel: "m" })).toEqual({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      logprobs: true,
      vendor_extra: { a: 1 },
    });
  });
});

describe("OpenAI Chat request decoding", () => {
  it("maps legacy functions and function_call onto tools", () => {
    const req = decodeOpenAiChatRequest({
      ...base,
      functions: [{ name: "lookup", parameters: { type: "object" } }],
      function_call: { name: "lookup" },
    });
    expect(req.tools).toEqual([{ name: "lookup", parameters: { type: "object" } }]);
    expect(req.toolChoice).toEqual({ type: "tool", name: "lookup" });
  });

  it("reads audio, files, image detail, developer messages and max_completion_tokens", () => {
    const req = decodeOpenAiChatRequest({
      model: "gpt-4o",
      max_completion_tokens: 77,
      messages: [
        { role: "developer", content: [{ type: "text", text: "rules" }] },
        {
          role: "user",
          content: [
            { type: "input_audio", input_audio: { data: "AAAA", format: "mp3" } },
            { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" } },
            { type: "image_url", image_url: { url: "https://x/y.jpg", detail: "high" } },
            { type: "file", file: { file_id: "file-123" } },
          ],
        },
      ],
      stream: true,
      stream_options: { include_usage: true },
      reasoning_effort: "none",
    });
    expect(req).toEqual({
      model: "gpt-4o",
      system: [{ text: "rules" }],
      messages: [
        {
          role: "user",
          content: [
            { type: "file", source: { kind: "base64", mediaType: "audio/mpeg", data: "AAAA" } },
            { type: "file", source: { kind: "base64", mediaType: "application/pdf", data: "JVBERi0=" }, filename: "a.pdf" },
            { type: "image", source: { kind: "url", url: "https://x/y.jpg" }, detail: "high" },
            { type: "native", format: "openai_chat", raw: { type: "file", file: { file_id: "file-123" } }, param: "file_id" },
          ],
        },
      ],
      tools: [],
      maxTokens: 77,
      stream: true,
      includeUsage: true,
      reasoning: { enabled: false, effort: "none" },
    });
  });
});

describe("OpenAI Chat request encoding", () => {
  it.each([
    ["an effort", { enabled: true, effort: "high" as const }, "high"],
    ["max, which OpenAI calls xhigh", { enabled: true, effort: "max" as const }, "xhigh"],
    ["a small budget", { enabled: true, budgetTokens: 2048 }, "low"],
    ["a large budget", { enabled: true, budgetTokens: 20000 }, "high"],
    ["effort none", { enabled: false, effort: "none" as const }, "none"],
    ["thinking switched off elsewhere", { enabled: false }, undefined],
  ])("maps %s to reasoning_effort", (_name, reasoning, expected) => {
    const body = encodeOpenAiChatRequest({ ...decodeOpenAiChatRequest(base), reasoning }, { upstreamModel: "o3" });
    expect(body.reasoning_effort).toBe(expected);
  });

  it("sends tool results as tool messages before the rest of the user turn, their images in the user message after", () => {
    const body = encodeOpenAiChatRequest(
      {
        ...decodeOpenAiChatRequest(base),
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "see result" },
              {
                type: "tool_result",
                toolCallId: "t1",
                content: [
                  { type: "text", text: "ok" },
                  { type: "image", source: { kind: "url", url: "https://i" } },
                ],
              },
            ],
          },
        ],
      },
      { upstreamModel: "m" },
    );
    expect(body.messages).toEqual([
      { role: "tool", tool_call_id: "t1", content: "ok\n(1 image returned by this tool follow in the next user message)" },
      {
        role: "user",
        content: [
          { type: "text", text: "see result" },
          { type: "text", text: "Images returned by tool call t1:" },
          { type: "image_url", image_url: { url: "https://i" } },
        ],
      },
    ]);
  });

  it("says in the tool message that a tool call failed, as Chat Completions has no error flag", () => {
    const body = encodeOpenAiChatRequest(
      {
        ...decodeOpenAiChatRequest(base),
        messages: [
          {
            role: "user",
            content: [
              { type: "tool_result", toolCallId: "t1", content: [{ type: "text", text: "no such city" }], isError: true },
            ],
          },
        ],
      },
      { upstreamModel: "m" },
    );
    expect(body.messages).toEqual([{ role: "tool", tool_call_id: "t1", content: "Error (the tool call failed): no such city" }]);
  });

  it("keeps a mid-conversation system or developer message in place, leading ones as the system prompt", () => {
    const request = {
      model: "m",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
        { role: "developer", content: "now answer in French" },
        { role: "user", content: "again" },
      ],
    };
    const canonical = decodeOpenAiChatRequest(request);
    expect(canonical.system).toEqual([{ text: "be brief" }]);
    expect(canonical.messages.slice(-2)).toEqual([
      { role: "user", content: [{ type: "text", text: "now answer in French", instruction: "developer" }] },
      { role: "user", content: [{ type: "text", text: "again" }] },
    ]);
    expect(encodeOpenAiChatRequest(canonical, { upstreamModel: "m" }).messages).toEqual(request.messages);
  });

  it("leaves out tool_choice without tools and assistant turns left empty by dropped reasoning", () => {
    const body = encodeOpenAiChatRequest(
      {
        ...decodeOpenAiChatRequest(base),
        toolChoice: { type: "none" },
        parallelToolCalls: false,
        messages: [
          { role: "user", content: [{ type: "text", text: "hi" }] },
          { role: "assistant", content: [{ type: "reasoning", text: "thinking only", signature: "s" }] },
          { role: "user", content: [{ type: "text", text: "again" }] },
        ],
      },
      { upstreamModel: "m" },
    );
    expect(body).toEqual({
      model: "m",
      messages: [
        { role: "user", content: "hi" },
        { role: "user", content: "again" },
      ],
    });
  });

  it("refuses a file given only by URL", () => {
    const req = {
      ...decodeOpenAiChatRequest(base),
      messages: [
        { role: "user" as const, content: [{ type: "file" as const, source: { kind: "url" as const, url: "https://x/a.pdf" } }] },
      ],
    };
    expect(() => encodeOpenAiChatRequest(req, { upstreamModel: "m" })).toThrow(
      /file_url is not supported when the upstream API is openai_chat/,
    );
  });
});
