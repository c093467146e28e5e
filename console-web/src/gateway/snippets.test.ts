import { describe, expect, it } from "vitest";
import { curlSnippet, MODEL_PLACEHOLDER, openAiPythonSnippet, snippetModel } from "./snippets";

const input = { baseUrl: "http://localhost:3000/v1", apiKey: "tw-abc123", model: "gpt-4o-mini" };

describe("curlSnippet", () => {
  it("calls chat completions with the key and model", () => {
    expect(curlSnippet(input)).toBe(
      [
        "curl 'http://localhost:3000/v1/chat/completions' \\",
        "  -H 'Authorization: Bearer tw-abc123' \\",
        "  -H 'Content-Type: application/json' \\",
        `  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}]}'`,
      ].join("\n"),
    );
  });

  it("keeps single quotes in values from ending the shell quote", () => {
    expect(curlSnippet({ ...input, model: "it's" })).toContain(`"model":"it'\\''s"`);
  });

  it("shows a placeholder when no model is known", () => {
    expect(curlSnippet({ ...input, model: undefined })).toContain(`"model":"${MODEL_PLACEHOLDER}"`);
  });
});

describe("openAiPythonSnippet", () => {
  it("configures the client with the gateway URL and key", () => {
    const snippet = openAiPythonSnippet(input);
    expect(snippet).toContain('client = OpenAI(\n    base_url="http://localhost:3000/v1",\n    api_key="tw-abc123",\n)');
    expect(snippet).toContain('    model="gpt-4o-mini",');
  });

  it("escapes quotes in values as Python string literals", () => {
    expect(openAiPythonSnippet({ ...input, model: 'a"b' })).toContain('model="a\\"b",');
  });
});

describe("snippetModel", () => {
  it.each([
    [["only-this"], ["routed"], "only-this"],
    [null, ["routed-a", "routed-b"], "routed-a"],
    [[], ["routed-a"], undefined],
    [null, [], undefined],
  ])("allowed %j, routed %j → %j", (allowed, routed, expected) => {
    expect(snippetModel(allowed, routed)).toBe(expected);
  });
});
