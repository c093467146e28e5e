import { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import { decodeRequest, encodeRequest } from "./codecs/request-codecs.js";
import { API_FORMATS } from "./formats.js";
import { enforceUnmappable, findRule, UNMAPPABLE } from "./unmappable.js";

describe("the unmappable table", () => {
  it("has no two rows for the same parameter and direction, and every row says why", () => {
    const keys = UNMAPPABLE.map((rule) => `${rule.param} ${rule.from} ${rule.to}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const rule of UNMAPPABLE) expect(rule.why.length).toBeGreaterThan(10);
  });

  it("covers every modelled field an encoder may refuse or drop, for every target", () => {
    for (const param of [
      "native_tools",
      "native_content",
      "file_id",
      "reasoning_history",
      "thought_signature",
      "image_detail",
      "document_type",
    ]) {
      for (const format of API_FORMATS) expect(findRule(param, "*", format), `${param} → ${format}`).toBeDefined();
    }
  });

  it("throws a 400 bad_request naming the parameter and the reason for a reject row", () => {
    let caught: unknown;
    try {
      enforceUnmappable("image_url", "bedrock_converse");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect({
      code: (caught as AppError).code,
      status: (caught as AppError).status,
      details: (caught as AppError).details,
    }).toEqual({
      code: "bad_request",
      status: 400,
      details: { param: "image_url" },
    });
  });

  it("returns quietly for a drop row and fails loudly for a parameter with no row", () => {
    expect(() => enforceUnmappable("top_k", "openai_chat")).not.toThrow();
    expect(() => enforceUnmappable("no_such_param", "openai_chat")).toThrow("no unmappable rule for no_such_param");
  });
});

describe("unmodelled source fields crossing formats", () => {
  const opts = { upstreamModel: "m" };
  const openai = (extra: object) =>
    decodeRequest("openai_chat", { model: "gpt-4o", messages: [{ role: "user", content: "hi" }], ...extra });

  it.each([
    [
      "n above 1",
      { n: 2 },
      "n is not supported when the upstream API is anthropic_messages: this upstream produces one choice per request",
    ],
    ["audio output", { modalities: ["text", "audio"], audio: { voice: "alloy" } }, "modalities is not supported"],
    ["web search", { web_search_options: {} }, "web_search_options is not supported"],
  ])("rejects %s", (_name, extra, message) => {
    expect(() => encodeRequest("anthropic_messages", openai(extra), opts)).toThrow(message);
  });

  it.each([
    ["n of 1", { n: 1 }],
    ["logprobs", { logprobs: true, top_logprobs: 3 }],
    ["logit_bias", { logit_bias: { "50256": -100 } }],
    ["text-only modalities", { modalities: ["text"] }],
    ["unknown vendor extras", { my_vendor_flag: true }],
  ])("drops %s and still encodes the request", (_name, extra) => {
    expect(encodeRequest("gemini", openai(extra), opts)).toEqual({ contents: [{ role: "user", parts: [{ text: "hi" }] }] });
  });

  it("refuses Gemini's cachedContent for another upstream but keeps it for Gemini", () => {
    const req = decodeRequest(
      "gemini",
      { contents: [{ parts: [{ text: "hi" }] }], cachedContent: "cachedContents/x" },
      { model: "g" },
    );
    expect(() => encodeRequest("openai_chat", req, opts)).toThrow(
      "cachedContent is not supported when the upstream API is openai_chat",
    );
    expect(encodeRequest("gemini", req, opts)).toMatchObject({ cachedContent: "cachedContents/x" });
  });
});
