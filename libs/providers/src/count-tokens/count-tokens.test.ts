import { describe, expect, it } from "vitest";
import type { CanonicalRequest } from "../canonical/request.js";
import { decodeRequest } from "../codecs/request-codecs.js";
import { countTokensEstimate, estimateTextTokens } from "./estimate.js";
import { decodeCountTokensResponse, encodeCountTokensRequest, hasCountTokensEndpoint } from "./upstream-count.js";

const base: CanonicalRequest = { model: "m", system: [], messages: [], tools: [], stream: false, includeUsage: true };

describe("countTokensEstimate", () => {
  it.each([
    ["empty text", "", 0],
    ["ASCII at four characters a token", "abcdefgh", 2],
    ["a partial token rounds up", "abcde", 2],
    ["CJK at one token a character", "你好世界", 4],
    ["an emoji counted once", "🎉", 1],
    ["mixed text: ASCII by four, each other character once", "naïve 🎉 code — 你好 x", 9],
  ])("estimates %s", (_name, text, expected) => {
    expect(estimateTextTokens(text)).toBe(expected);
  });

  it("counts long mixed text as the character-by-character rule does", () => {
    const pieces = ["const x = 1;\n", "naïve ", "—", "🎉", "你好", "\u0000", "\u007f", "\u0080", "\uffff", "tail"];
    for (let seed = 1; seed <= 200; seed++) {
      let text = "";
      for (let i = 0; i < 300; i++) text += pieces[(seed * 31 + i * i * 7) % pieces.length];
      let ascii = 0;
      let other = 0;
      for (const char of text) {
        if (char.charCodeAt(0) < 128) ascii++;
        else other++;
      }
      expect(estimateTextTokens(text)).toBe(Math.ceil(ascii / 4) + other);
    }
  });

  it("adds framing per message and tool, a flat cost per image and per PDF page", () => {
    const pdf = Buffer.from("%PDF-1.7 /Type /Pages /Type /Page /Type/Page").toString("base64");
    const req: CanonicalRequest = {
      ...base,
      system: [{ text: "abcd" }],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "abcdefgh" },
            { type: "image", source: { kind: "url", url: "https://x/y.png" } },
            { type: "file", source: { kind: "base64", mediaType: "application/pdf", data: pdf } },
          ],
        },
        { role: "assistant", content: [{ type: "tool_call", id: "c", name: "abcd", arguments: '{"a":1}' }] },
      ],
      tools: [{ name: "abcd", description: "abcdefgh", parameters: { type: "object" } }],
    };
    // system 1 + 4 framing; user 4 + 2 text + 1600 image + 2×2000 PDF pages; assistant 4 + 1 name + 2 args + 4;
    // tool 4 + 1 name + 2 description + 5 schema ('{"type":"object"}' is 17 characters).
    expect(countTokensEstimate(req)).toBe(5 + 5606 + 11 + 12);
  });

  it("counts a real request", () => {
    const req = decodeRequest(
      "anthropic_messages",
      { model: "m", messages: [{ role: "user", content: "Hello there, how are you today?" }] },
      { countTokens: true },
    );
    expect(countTokensEstimate(req)).toBe(4 + 8);
  });
});

describe("upstream token counting", () => {
  const req: CanonicalRequest = {
    ...base,
    system: [{ text: "sys" }],
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    maxTokens: 100,
    temperature: 0.5,
  };
  const opts = { upstreamModel: "up" };

  it("knows which upstreams can count", () => {
    expect(
      ["openai_chat", "anthropic_messages", "gemini", "bedrock_converse"].map((format) =>
        hasCountTokensEndpoint(format as never),
      ),
    ).toEqual([false, true, true, true]);
  });

  it("builds each counting endpoint's body", () => {
    expect(encodeCountTokensRequest("anthropic_messages", req, opts)).toEqual({
      model: "up",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      system: "sys",
    });
    expect(encodeCountTokensRequest("gemini", req, opts)).toEqual({
      generateContentRequest: {
        model: "models/up",
        contents: [{ role: "user", parts: [{ text: "hi" }] }],
        systemInstruction: { parts: [{ text: "sys" }] },
        generationConfig: { maxOutputTokens: 100, temperature: 0.5 },
      },
    });
    expect(encodeCountTokensRequest("bedrock_converse", req, opts)).toEqual({
      input: { converse: { messages: [{ role: "user", content: [{ text: "hi" }] }], system: [{ text: "sys" }] } },
    });
    expect(() => encodeCountTokensRequest("openai_chat", req, opts)).toThrow(
      "the openai_chat API has no token-counting endpoint",
    );
  });

  it("reads each counting endpoint's reply", () => {
    expect(decodeCountTokensResponse("anthropic_messages", { input_tokens: 12 })).toBe(12);
    expect(decodeCountTokensResponse("gemini", { totalTokens: 13 })).toBe(13);
    expect(decodeCountTokensResponse("bedrock_converse", { inputTokens: 14 })).toBe(14);
    expect(() => decodeCountTokensResponse("gemini", {})).toThrow("the gemini token-counting endpoint returned no count");
  });
});
