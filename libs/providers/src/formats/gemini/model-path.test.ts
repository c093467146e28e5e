import { describe, expect, it } from "vitest";
import { parseGeminiModelPath } from "./model-path.js";

describe("parseGeminiModelPath", () => {
  it.each([
    [
      "/v1beta/models/gemini-2.5-pro:generateContent",
      { model: "gemini-2.5-pro", action: "generateContent", stream: false, sse: false },
    ],
    [
      "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
      { model: "gemini-2.5-flash", action: "streamGenerateContent", stream: true, sse: true },
    ],
    [
      "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
      { model: "gemini-2.5-flash", action: "streamGenerateContent", stream: true, sse: false },
    ],
    [
      "/v1/models/gemini-embedding-001:batchEmbedContents?key=abc",
      { model: "gemini-embedding-001", action: "batchEmbedContents", stream: false, sse: false },
    ],
    ["/v1beta/models/my%20model:countTokens", { model: "my model", action: "countTokens", stream: false, sse: false }],
  ])("reads %s", (url, expected) => {
    expect(parseGeminiModelPath(url)).toEqual(expected);
  });

  it.each([
    "/v1beta/models/gemini-2.5-pro",
    "/v1beta/models/:generateContent",
    "/v1beta/models/x:deleteEverything",
    "/v1/chat/completions",
    "/v1beta/models/a%E0:generateContent",
  ])("refuses %s", (url) => {
    expect(parseGeminiModelPath(url)).toBeUndefined();
  });
});
