/** Gemini GenerateContentResponse ⇄ canonical response. */
import { reasoningToken } from "../../canonical/reasoning-token.js";
import type { CanonicalResponse, OutputPart } from "../../canonical/response.js";
import { emptyUsage } from "../../canonical/usage.js";
import type { EncodeResponseOptions } from "../../encode-options.js";
import { parseUpstreamBody } from "../../upstream-body.js";
import { callIdFactory, finishReasonFromGemini, finishReasonToGemini, usageFromGemini, usageToGemini } from "./mapping.js";
import { decodeModelPart } from "./request-decode.js";
import { GeminiResponseSchema } from "./schema.js";

export function decodeGeminiResponse(body: unknown): CanonicalResponse {
  const res = parseUpstreamBody(GeminiResponseSchema, body, "the Gemini upstream");
  const candidate = res.candidates?.[0];
  const content: OutputPart[] = [];
  const newId = callIdFactory(res.responseId);
  for (const part of candidate?.content?.parts ?? []) {
    const decoded = decodeModelPart(part, newId);
    if (decoded !== undefined && decoded.type !== "native") content.push(decoded);
  }
  const hasToolCalls = content.some((part) => part.type === "tool_call");
  const blocked = candidate === undefined && typeof res.promptFeedback?.blockReason === "string";
  return {
    id: res.responseId ?? "",
    model: res.modelVersion ?? "",
    content,
    finishReason: blocked ? "content_filter" : finishReasonFromGemini(candidate?.finishReason, hasToolCalls),
    usage: res.usageMetadata ? usageFromGemini(res.usageMetadata) : emptyUsage(),
  };
}

/** One output part in Gemini's shape; shared with the stream encoder. */
export function geminiPart(part: OutputPart): Record<string, unknown> {
  if (part.type === "text") {
    return part.thoughtSignature === undefined
      ? { text: part.text }
      : { text: part.text, thoughtSignature: part.thoughtSignature };
  }
  if (part.type === "reasoning") {
    // Anthropic signatures and OpenAI encrypted reasoning ride in the thought signature, prefixed (reasoning-token.ts).
    const out: Record<string, unknown> = { text: part.text, thought: true };
    const signature = part.thoughtSignature ?? reasoningToken(part);
    if (signature !== undefined) out.thoughtSignature = signature;
    return out;
  }
  let args: unknown;
  try {
    args = JSON.parse(part.arguments === "" ? "{}" : part.arguments);
  } catch {
    // Broken JSON from the model (often cut off by the token limit) is handed over rather than failing the reply.
    args = { _raw_arguments: part.arguments };
  }
  const out: Record<string, unknown> = { functionCall: { id: part.id, name: part.name, args } };
  if (part.thoughtSignature !== undefined) out.thoughtSignature = part.thoughtSignature;
  return out;
}

export function encodeGeminiResponse(res: CanonicalResponse, opts: EncodeResponseOptions): Record<string, unknown> {
  return {
    candidates: [
      {
        content: { role: "model", parts: res.content.map(geminiPart) },
        finishReason: finishReasonToGemini(res.finishReason),
        index: 0,
      },
    ],
    usageMetadata: usageToGemini(res.usage),
    modelVersion: opts.model,
    responseId: opts.requestId,
  };
}
