import type { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import type { CanonicalRequest } from "../../canonical/request.js";
import { decodeGeminiRequest } from "./request-decode.js";
import { encodeGeminiRequest, SKIP_THOUGHT_SIGNATURE } from "./request-encode.js";

const url = { model: "gemini-2.5-flash", stream: false };
const base = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
const opts = { upstreamModel: "gemini-2.5-pro" };

function validationMessage(body: unknown, model = url.model): string {
  try {
    decodeGeminiRequest(body, { model, stream: false });
  } catch (error) {
    expect((error as AppError).code).toBe("validation_failed");
    return (error as AppError).message;
  }
  throw new Error("expected a validation error");
}

describe("Gemini request validation", () => {
  it.each([
    ["missing contents", {}, "invalid request: contents is required"],
    ["empty contents", { contents: [] }, "contents: must contain at least one content"],
    ["a content without parts", { contents: [{ role: "user" }] }, "contents[0].parts is required"],
    [
      "an unknown role",
      { contents: [{ role: "assistant", parts: [] }] },
      'contents[0].role must be one of "user" | "model" | "function" (got "assistant")',
    ],
    [
      "a text part that is a number",
      { contents: [{ parts: [{ text: 1 }] }] },
      "contents[0].parts[0].text must be string (got 1)",
    ],
    [
      "a function call without a name",
      { contents: [{ role: "model", parts: [{ functionCall: { args: {} } }] }] },
      "contents[0].parts[0].functionCall.name is required",
    ],
    [
      "a string temperature",
      { ...base, generationConfig: { temperature: "warm" } },
      'generationConfig.temperature must be number (got "warm")',
    ],
    [
      "an unknown calling mode",
      { ...base, toolConfig: { functionCallingConfig: { mode: "SOMETIMES" } } },
      "toolConfig.functionCallingConfig.mode must be one of",
    ],
  ])("names the field for %s", (_name, body, expected) => {
    expect(validationMessage(body)).toContain(expected);
  });

  it("needs the model from the URL", () => {
    expect(validationMessage(base, "")).toBe("invalid request: the model in the URL must not be empty");
  });

  it("takes the model and stream flag from the URL, not the body", () => {
    const req = decodeGeminiRequest({ ...base, model: "ignored" }, { model: "gemini-2.5-flash", stream: true });
    expect(req.model).toBe("gemini-2.5-flash");
    expect(req.stream).toBe(true);
  });
});

describe("Gemini request decoding", () => {
  it.each([
    ["a budget", { thinkingBudget: 4096, includeThoughts: true }, { enabled: true, budgetTokens: 4096, includeThoughts: true }],
    ["budget 0 (thinking off)", { thinkingBudget: 0 }, { enabled: false }],
    ["budget -1 (dynamic)", { thinkingBudget: -1 }, { enabled: true }],
    ["a thinking level", { thinkingLevel: "HIGH" }, { enabled: true, effort: "high" }],
  ])("reads thinkingConfig with %s", (_name, thinkingConfig, expected) => {
    expect(decodeGeminiRequest({ ...base, generationConfig: { thinkingConfig } }, url).reasoning).toEqual(expected);
  });

  it("pairs function responses with calls by name in order, honouring ids when given, and reads error responses", () => {
    const req = decodeGeminiRequest(
      {
        contents: [
          {
            role: "model",
            parts: [
              { functionCall: { name: "a", args: { n: 1 } }, thoughtSignature: "sig-a" },
              { functionCall: { name: "b", args: {} } },
              { functionCall: { id: "explicit", name: "a", args: { n: 2 } } },
            ],
          },
          {
            role: "user",
            parts: [
              { functionResponse: { id: "explicit", name: "a", response: { output: "two" } } },
              { functionResponse: { name: "b", response: { error: "failed" } } },
              { functionResponse: { name: "a", response: { result: { temp: 3 } } } },
            ],
          },
        ],
      },
      url,
    );
    expect(req.messages).toEqual([
      {
        role: "assistant",
        content: [
          { type: "tool_call", id: "call_0", name: "a", arguments: '{"n":1}', thoughtSignature: "sig-a" },
          { type: "tool_call", id: "call_1", name: "b", arguments: "{}" },
          { type: "tool_call", id: "explicit", name: "a", arguments: '{"n":2}' },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", toolCallId: "explicit", name: "a", content: [{ type: "text", text: "two" }] },
          { type: "tool_result", toolCallId: "call_1", name: "b", content: [{ type: "text", text: "failed" }], isError: true },
          { type: "tool_result", toolCallId: "call_0", name: "a", content: [{ type: "text", text: '{"result":{"temp":3}}' }] },
        ],
      },
    ]);
  });

  it("keeps Gemini-only settings for a Gemini upstream and refuses cachedContent elsewhere", () => {
    const req = decodeGeminiRequest(
      {
        ...base,
        safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
        cachedContent: "cachedContents/abc",
        generationConfig: { temperature: 0.5, mediaResolution: "MEDIA_RESOLUTION_LOW" },
      },
      url,
    );
    expect(encodeGeminiRequest(req, opts)).toEqual({
      contents: [{ role: "user", parts: [{ text: "hi" }] }],
      generationConfig: { temperature: 0.5, mediaResolution: "MEDIA_RESOLUTION_LOW" },
      safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
      cachedContent: "cachedContents/abc",
    });
  });
});

describe("Gemini request encoding", () => {
  const canonical = (extra: Partial<CanonicalRequest>): CanonicalRequest => ({ ...decodeGeminiRequest(base, url), ...extra });

  it.each([
    ["auto", { type: "auto" as const }, { mode: "AUTO" }],
    ["none", { type: "none" as const }, { mode: "NONE" }],
    ["required", { type: "required" as const }, { mode: "ANY" }],
    ["a named tool", { type: "tool" as const, name: "w" }, { mode: "ANY", allowedFunctionNames: ["w"] }],
  ])("maps tool choice %s", (_name, toolChoice, expected) => {
    const tools = [{ name: "w", parameters: { type: "object" } }];
    expect(encodeGeminiRequest(canonical({ toolChoice, tools }), opts).toolConfig).toEqual({ functionCallingConfig: expected });
    expect(encodeGeminiRequest(canonical({ toolChoice }), opts).toolConfig).toBeUndefined();
  });

  it.each([
    ["an effort", { enabled: true, effort: "medium" as const }, { thinkingBudget: 8192, includeThoughts: true }],
    [
      "a budget, thoughts hidden",
      { enabled: true, budgetTokens: 3000, includeThoughts: false },
      { thinkingBudget: 3000, includeThoughts: false },
    ],
    ["reasoning on without a size", { enabled: true }, { thinkingBudget: -1, includeThoughts: true }],
  ])("maps reasoning with %s to thinkingConfig", (_name, reasoning, expected) => {
    expect(encodeGeminiRequest(canonical({ reasoning }), opts).generationConfig).toEqual({ thinkingConfig: expected });
  });

  it("keeps real thought signatures and adds the stand-in only to unsigned model turns", () => {
    const body = encodeGeminiRequest(
      canonical({
        messages: [
          { role: "user", content: [{ type: "text", text: "go" }] },
          {
            role: "assistant",
            content: [
              { type: "reasoning", text: "thinking", thoughtSignature: "t-sig" },
              { type: "tool_call", id: "c1", name: "a", arguments: "{}", thoughtSignature: "fc-sig" },
              { type: "tool_call", id: "c2", name: "a", arguments: "{}" },
            ],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", toolCallId: "c1", content: [{ type: "text", text: "1" }] },
              { type: "tool_result", toolCallId: "c2", content: [{ type: "text", text: "2" }] },
            ],
          },
          {
            role: "assistant",
            content: [
              { type: "reasoning", text: "from another vendor", signature: "anthropic-sig" },
              { type: "tool_call", id: "c3", name: "b", arguments: "{}" },
            ],
          },
        ],
      }),
      opts,
    );
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "go" }] },
      {
        role: "model",
        parts: [
          { text: "thinking", thought: true, thoughtSignature: "t-sig" },
          { functionCall: { name: "a", args: {} }, thoughtSignature: "fc-sig" },
          { functionCall: { name: "a", args: {} } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "a", response: { output: "1" } } },
          { functionResponse: { name: "a", response: { output: "2" } } },
        ],
      },
      { role: "model", parts: [{ functionCall: { name: "b", args: {} }, thoughtSignature: SKIP_THOUGHT_SIGNATURE }] },
    ]);
  });

  it("sends URL images as fileData with a guessed media type and tool-result images as parts after the response", () => {
    const body = encodeGeminiRequest(
      canonical({
        messages: [
          {
            role: "user",
            content: [
              { type: "image", source: { kind: "url", url: "https://example.com/cat.webp?size=2" } },
              {
                type: "tool_result",
                toolCallId: "c1",
                name: "shot",
                content: [
                  { type: "text", text: "done" },
                  { type: "image", source: { kind: "base64", mediaType: "image/png", data: "AA==" } },
                ],
                isError: true,
              },
            ],
          },
        ],
      }),
      opts,
    );
    expect(body.contents).toEqual([
      {
        role: "user",
        parts: [
          { fileData: { mimeType: "image/webp", fileUri: "https://example.com/cat.webp?size=2" } },
          { functionResponse: { name: "shot", response: { error: "done" } } },
          { inlineData: { mimeType: "image/png", data: "AA==" } },
        ],
      },
    ]);
  });
});
