/** Anthropic Messages response body ⇄ canonical response. */

import { applyReasoningToken, liftSignatures, lowerSignatures, reasoningToken } from "../../canonical/reasoning-token.js";
import type { CanonicalResponse, OutputPart } from "../../canonical/response.js";
import { stringifyToolArguments } from "../../canonical/tool-arguments.js";
import { sanitizeToolId } from "../../canonical/tool-id.js";
import { emptyUsage } from "../../canonical/usage.js";
import type { EncodeResponseOptions } from "../../encode-options.js";
import { parseUpstreamBody } from "../../upstream-body.js";
import { finishReasonFromAnthropic, finishReasonToAnthropic, mergeAnthropicUsage, usageToAnthropic } from "./mapping.js";
import { AnthropicResponseSchema } from "./schema.js";

export function decodeAnthropicResponse(body: unknown): CanonicalResponse {
  const res = parseUpstreamBody(AnthropicResponseSchema, body, "the Anthropic upstream");
  const content: OutputPart[] = [];
  for (const block of res.content as Array<Record<string, unknown>>) {
    switch (block.type) {
      case "text":
        if (typeof block.text === "string") content.push({ type: "text", text: block.text });
        break;
      case "thinking": {
        const part: OutputPart = { type: "reasoning", text: typeof block.thinking === "string" ? block.thinking : "" };
        if (typeof block.signature === "string" && block.signature !== "" && !applyReasoningToken(part, block.signature))
          part.signature = block.signature;
        content.push(part);
        break;
      }
      case "redacted_thinking":
        if (typeof block.data === "string") content.push({ type: "reasoning", text: "", redactedData: block.data });
        break;
      case "tool_use":
        content.push({
          type: "tool_call",
          id: String(block.id ?? ""),
          name: String(block.name ?? ""),
          arguments: stringifyToolArguments(block.input),
        });
        break;
      // Server-tool blocks (web search…) ran at Anthropic; their results are already reflected in the text.
    }
  }
  const out: CanonicalResponse = {
    id: res.id ?? "",
    model: res.model ?? "",
    content: lowerSignatures(content) as OutputPart[],
    finishReason: finishReasonFromAnthropic(res.stop_reason),
    usage: res.usage ? mergeAnthropicUsage(undefined, res.usage) : emptyUsage(),
  };
  if (typeof res.stop_sequence === "string") out.stopSequence = res.stop_sequence;
  return out;
}

export function encodeAnthropicResponse(res: CanonicalResponse, opts: EncodeResponseOptions): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  // Gemini signatures on calls and text, OpenAI encrypted reasoning: carried in thinking signatures (reasoning-token.ts).
  for (const part of liftSignatures(res.content)) {
    if (part.type === "text") content.push({ type: "text", text: part.text });
    else if (part.type === "reasoning") {
      if (part.redactedData !== undefined) content.push({ type: "redacted_thinking", data: part.redactedData });
      else content.push({ type: "thinking", thinking: part.text, signature: part.signature ?? reasoningToken(part) ?? "" });
    } else {
      let input: unknown;
      try {
        input = JSON.parse(part.arguments === "" ? "{}" : part.arguments);
      } catch {
        // The model produced broken JSON (often cut off by max_tokens); hand it over rather than fail the reply.
        input = { _raw_arguments: part.arguments };
      }
      content.push({ type: "tool_use", id: sanitizeToolId(part.id), name: part.name, input });
    }
  }
  return {
    id: `msg_${opts.requestId}`,
    type: "message",
    role: "assistant",
    model: opts.model,
    content,
    stop_reason: finishReasonToAnthropic(res.finishReason, res.stopSequence),
    stop_sequence: res.stopSequence ?? null,
    usage: usageToAnthropic(res.usage),
  };
}
