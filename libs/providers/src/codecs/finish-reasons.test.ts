import { describe, expect, it } from "vitest";
import type { FinishReason } from "../canonical/response.js";
import type { ApiFormat, InboundFormat } from "../formats.js";
import { decodeResponse, encodeResponse } from "./response-codecs.js";

const opts = { model: "client-model", requestId: "req_123", created: 1700000000 };

describe("finish reasons", () => {
  const reply = (format: ApiFormat, reason: string) => {
    switch (format) {
      case "openai_chat":
        return { choices: [{ message: { content: "x" }, finish_reason: reason }] };
      case "anthropic_messages":
        return { content: [{ type: "text", text: "x" }], stop_reason: reason };
      case "gemini":
        return { candidates: [{ content: { parts: [{ text: "x" }] }, finishReason: reason }] };
      case "bedrock_converse":
        return { output: { message: { content: [{ text: "x" }] } }, stopReason: reason };
      case "openai_responses":
        return {
          status: reason === "completed" ? "completed" : "incomplete",
          incomplete_details: reason === "completed" ? null : { reason },
          output: [],
        };
    }
  };

  it.each([
    ["openai_chat", "stop", "stop"],
    ["openai_chat", "length", "length"],
    ["openai_chat", "content_filter", "content_filter"],
    ["openai_chat", "function_call", "tool_calls"],
    ["anthropic_messages", "end_turn", "stop"],
    ["anthropic_messages", "stop_sequence", "stop"],
    ["anthropic_messages", "max_tokens", "length"],
    ["anthropic_messages", "model_context_window_exceeded", "length"],
    ["anthropic_messages", "refusal", "content_filter"],
    ["anthropic_messages", "pause_turn", "other"],
    ["gemini", "STOP", "stop"],
    ["gemini", "MAX_TOKENS", "length"],
    ["gemini", "SAFETY", "content_filter"],
    ["gemini", "RECITATION", "content_filter"],
    ["gemini", "MALFORMED_FUNCTION_CALL", "other"],
    ["bedrock_converse", "end_turn", "stop"],
    ["bedrock_converse", "max_tokens", "length"],
    ["bedrock_converse", "guardrail_intervened", "content_filter"],
    ["bedrock_converse", "content_filtered", "content_filter"],
    ["openai_responses", "completed", "stop"],
    ["openai_responses", "max_output_tokens", "length"],
    ["openai_responses", "content_filter", "content_filter"],
  ] as const)("%s %s → %s", (format, raw, expected) => {
    expect(decodeResponse(format, reply(format, raw)).finishReason).toBe(expected);
  });

  const encoded = (format: InboundFormat, reason: FinishReason, stopSequence?: string) => {
    const body = encodeResponse(
      format,
      {
        id: "",
        model: "",
        content: [],
        finishReason: reason,
        usage: { inputTokens: 0, outputTokens: 0 },
        ...(stopSequence && { stopSequence }),
      },
      opts,
    );
    if (format === "openai_chat") return (body.choices as Array<{ finish_reason: string }>)[0]?.finish_reason;
    if (format === "anthropic_messages") return body.stop_reason;
    if (format === "gemini") return (body.candidates as Array<{ finishReason: string }>)[0]?.finishReason;
    return [body.status, (body.incomplete_details as { reason?: string } | null)?.reason ?? null];
  };

  it.each([
    ["stop", ["stop", "end_turn", ["completed", null], "STOP"]],
    ["length", ["length", "max_tokens", ["incomplete", "max_output_tokens"], "MAX_TOKENS"]],
    ["tool_calls", ["tool_calls", "tool_use", ["completed", null], "STOP"]],
    ["content_filter", ["content_filter", "refusal", ["incomplete", "content_filter"], "SAFETY"]],
    ["other", ["stop", "end_turn", ["completed", null], "OTHER"]],
  ] as const)("canonical %s is written in each client format", (reason, [openai, anthropic, responses, gemini]) => {
    expect([
      encoded("openai_chat", reason),
      encoded("anthropic_messages", reason),
      encoded("openai_responses", reason),
      encoded("gemini", reason),
    ]).toEqual([openai, anthropic, responses, gemini]);
  });

  it("keeps Anthropic's stop_sequence and the sequence that matched", () => {
    const canonical = decodeResponse("anthropic_messages", { content: [], stop_reason: "stop_sequence", stop_sequence: "END" });
    expect(canonical).toMatchObject({ finishReason: "stop", stopSequence: "END" });
    expect(encodeResponse("anthropic_messages", canonical, opts)).toMatchObject({
      stop_reason: "stop_sequence",
      stop_sequence: "END",
    });
  });

  it("treats a prompt Gemini blocked as a content filter stop", () => {
    expect(
      decodeResponse("gemini", { promptFeedback: { blockReason: "SAFETY" }, usageMetadata: { promptTokenCount: 8 } }),
    ).toEqual({
      id: "",
      model: "",
      content: [],
      finishReason: "content_filter",
      usage: { inputTokens: 8, outputTokens: 0 },
    });
  });
});
