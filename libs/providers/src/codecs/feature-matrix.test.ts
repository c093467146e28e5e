import { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import type { CanonicalRequest } from "../canonical/request.js";
import type { InboundFormat, UpstreamFormat } from "../formats.js";
import { decodeRequest, encodeRequest } from "./request-codecs.js";

const URL_OPTS = { model: "gemini-2.5-pro", stream: false };
const IMAGE = "https://example.com/cat.png";
const TOOL_SCHEMA = { type: "object", properties: { q: { type: "string" } } };

/** A one-question request in each client format, with a tool and room for a thinking budget. */
function request(format: InboundFormat, patch: Partial<Record<"image" | "parallel" | "reasoning" | "choice", unknown>>): unknown {
  const choice = patch.choice as "auto" | "none" | "required" | "named" | undefined;
  switch (format) {
    case "openai_chat":
      return {
        model: "gpt-4o",
        max_tokens: 20000,
        messages: [
          {
            role: "user",
            content: patch.image
              ? [
                  { type: "text", text: "hi" },
                  { type: "image_url", image_url: { url: IMAGE } },
                ]
              : "hi",
          },
        ],
        tools: [{ type: "function", function: { name: "search", parameters: TOOL_SCHEMA } }],
        ...(patch.parallel !== undefined && { parallel_tool_calls: false }),
        ...(patch.reasoning !== undefined && { reasoning_effort: "medium" }),
        ...(choice && { tool_choice: choice === "named" ? { type: "function", function: { name: "search" } } : choice }),
      };
    case "anthropic_messages":
      return {
        model: "claude",
        max_tokens: 20000,
        messages: [
          {
            role: "user",
            content: patch.image
              ? [
                  { type: "text", text: "hi" },
                  { type: "image", source: { type: "url", url: IMAGE } },
                ]
              : "hi",
          },
        ],
        tools: [{ name: "search", input_schema: TOOL_SCHEMA }],
        ...(patch.reasoning !== undefined && { thinking: { type: "enabled", budget_tokens: 8192 } }),
        ...((choice || patch.parallel !== undefined) && {
          tool_choice: {
            type: choice === "required" ? "any" : choice === "named" ? "tool" : (choice ?? "auto"),
            ...(choice === "named" && { name: "search" }),
            ...(patch.parallel !== undefined && { disable_parallel_tool_use: true }),
          },
        }),
      };
    case "openai_responses":
      return {
        model: "gpt-5",
        max_output_tokens: 20000,
        input: patch.image
          ? [
              {
                role: "user",
                content: [
                  { type: "input_text", text: "hi" },
                  { type: "input_image", image_url: IMAGE },
                ],
              },
            ]
          : "hi",
        tools: [{ type: "function", name: "search", parameters: TOOL_SCHEMA }],
        ...(patch.parallel !== undefined && { parallel_tool_calls: false }),
        ...(patch.reasoning !== undefined && { reasoning: { effort: "medium" } }),
        ...(choice && { tool_choice: choice === "named" ? { type: "function", name: "search" } : choice }),
      };
    case "gemini":
      return {
        contents: [
          {
            role: "user",
            parts: patch.image ? [{ text: "hi" }, { fileData: { mimeType: "image/png", fileUri: IMAGE } }] : [{ text: "hi" }],
          },
        ],
        tools: [{ functionDeclarations: [{ name: "search", parametersJsonSchema: TOOL_SCHEMA }] }],
        generationConfig: {
          maxOutputTokens: 20000,
          ...(patch.reasoning !== undefined && { thinkingConfig: { thinkingBudget: 8192 } }),
        },
        ...(choice && {
          toolConfig: {
            functionCallingConfig:
              choice === "named"
                ? { mode: "ANY", allowedFunctionNames: ["search"] }
                : { mode: { auto: "AUTO", none: "NONE", required: "ANY" }[choice] },
          },
        }),
      };
  }
}

const INBOUND: InboundFormat[] = ["openai_chat", "anthropic_messages", "openai_responses", "gemini"];
const UPSTREAM: UpstreamFormat[] = ["openai_chat", "anthropic_messages", "gemini", "bedrock_converse"];
const PAIRS = INBOUND.flatMap((inbound) => UPSTREAM.map((upstream) => [inbound, upstream] as const));

/** The request as the upstream will read it, or the 400 the gateway answers instead. */
function throughUpstream(
  inbound: InboundFormat,
  upstream: UpstreamFormat,
  patch: Parameters<typeof request>[1],
): CanonicalRequest | AppError {
  const canonical = decodeRequest(inbound, request(inbound, patch), URL_OPTS);
  try {
    return decodeRequest(upstream, encodeRequest(upstream, canonical, { upstreamModel: "up" }), URL_OPTS);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

describe("request features across every inbound × upstream pair", () => {
  it.each(PAIRS)("%s → %s: an image given by URL reaches the upstream, or Bedrock refuses it", (inbound, upstream) => {
    const result = throughUpstream(inbound, upstream, { image: true });
    if (upstream === "bedrock_converse") {
      expect(result).toBeInstanceOf(AppError);
      expect((result as AppError).message).toMatch(/^image_url is not supported when the upstream API is bedrock_converse/);
      return;
    }
    const part = (result as CanonicalRequest).messages[0]?.content[1];
    expect(part).toMatchObject({ type: "image", source: { kind: "url", url: IMAGE } });
  });

  it.each(PAIRS)("%s → %s: one-call-at-a-time survives where the upstream can say it", (inbound, upstream) => {
    const result = throughUpstream(inbound, upstream, { parallel: false }) as CanonicalRequest;
    const supported = (upstream === "openai_chat" || upstream === "anthropic_messages") && inbound !== "gemini";
    expect(result.parallelToolCalls).toBe(supported ? false : undefined);
  });

  it.each(PAIRS)("%s → %s: a medium reasoning request arrives as medium effort or an 8k budget", (inbound, upstream) => {
    const reasoning = (throughUpstream(inbound, upstream, { reasoning: true }) as CanonicalRequest).reasoning;
    if (upstream === "openai_chat") expect(reasoning).toEqual({ enabled: true, effort: "medium" });
    else expect(reasoning).toMatchObject({ enabled: true, budgetTokens: 8192 });
  });

  const choices = ["auto", "none", "required", "named"] as const;
  it.each(PAIRS.flatMap(([inbound, upstream]) => choices.map((choice) => [inbound, upstream, choice] as const)))(
    "%s → %s: tool choice %s",
    (inbound, upstream, choice) => {
      const result = throughUpstream(inbound, upstream, { choice }) as CanonicalRequest;
      const expected = choice === "named" ? { type: "tool", name: "search" } : { type: choice };
      if (upstream === "bedrock_converse" && choice === "none") {
        // Converse has no "none": the tools are left out, which forbids calling them just the same.
        expect({ toolChoice: result.toolChoice, tools: result.tools }).toEqual({ toolChoice: undefined, tools: [] });
      } else {
        expect(result.toolChoice).toEqual(expected);
        expect(result.tools.map((tool) => tool.name)).toEqual(["search"]);
      }
    },
  );
});
