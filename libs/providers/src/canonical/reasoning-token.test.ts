import { describe, expect, it } from "vitest";
import type { AssistantPart, ReasoningPart } from "./content.js";
import { applyReasoningToken, liftSignatures, lowerSignatures, reasoningToken } from "./reasoning-token.js";

describe("reasoning tokens", () => {
  it.each<[string, ReasoningPart, string]>([
    ["an Anthropic signature", { type: "reasoning", text: "t", signature: "sig" }, "tw1.sig.sig"],
    ["redacted thinking", { type: "reasoning", text: "", redactedData: "enc" }, "tw1.red.enc"],
    ["OpenAI encrypted reasoning", { type: "reasoning", text: "t", encryptedContent: "gAAA" }, "tw1.oai.gAAA"],
    ["a Gemini thought signature", { type: "reasoning", text: "t", thoughtSignature: "CiQB" }, "tw1.gem.CiQB"],
    [
      "a function call's signature",
      { type: "reasoning", text: "", thoughtSignature: "CiQB", carries: "tool_call" },
      "tw1.gfc.CiQB",
    ],
    ["a text part's signature", { type: "reasoning", text: "", thoughtSignature: "CiQB", carries: "text" }, "tw1.gtx.CiQB"],
  ])("round-trips %s", (_what, part, token) => {
    expect(reasoningToken(part)).toBe(token);
    const restored: ReasoningPart = { type: "reasoning", text: part.text };
    expect(applyReasoningToken(restored, token)).toBe(true);
    expect(restored).toEqual(part);
  });

  it("leaves a token it did not issue to the caller", () => {
    const part: ReasoningPart = { type: "reasoning", text: "t" };
    expect(applyReasoningToken(part, "EqQBCgIYAhIM")).toBe(false);
    expect(applyReasoningToken(part, undefined)).toBe(false);
    expect(part).toEqual({ type: "reasoning", text: "t" });
  });

  it("lifts Gemini signatures off calls (carrier before) and text (carrier after), and lowers them back", () => {
    const parts: AssistantPart[] = [
      { type: "text", text: "Checking.", thoughtSignature: "T" },
      { type: "tool_call", id: "c1", name: "f", arguments: "{}", thoughtSignature: "C" },
      { type: "tool_call", id: "c2", name: "f", arguments: "{}" },
    ];
    const lifted = liftSignatures(parts);
    expect(lifted).toEqual([
      { type: "text", text: "Checking." },
      { type: "reasoning", text: "", thoughtSignature: "T", carries: "text" },
      { type: "reasoning", text: "", thoughtSignature: "C", carries: "tool_call" },
      { type: "tool_call", id: "c1", name: "f", arguments: "{}" },
      { type: "tool_call", id: "c2", name: "f", arguments: "{}" },
    ]);
    expect(lowerSignatures(lifted)).toEqual(parts);
  });

  it("turns a text signature with no text before it into an empty signed text, as Gemini sends it", () => {
    expect(lowerSignatures([{ type: "reasoning", text: "", thoughtSignature: "T", carries: "text" }])).toEqual([
      { type: "text", text: "", thoughtSignature: "T" },
    ]);
  });
});
