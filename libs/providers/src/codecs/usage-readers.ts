/**
 * Usage alone from an upstream's non-streamed JSON reply, for answers forwarded untouched (same format on both
 * sides): only the usage object is checked and mapped, not the whole reply, since the client gets the bytes anyway.
 */
import { AppError } from "@thinkwatch/errors";
import type * as v from "valibot";
import { type CanonicalUsage, emptyUsage } from "../canonical/usage.js";
import { mergeAnthropicUsage } from "../formats/anthropic-messages/mapping.js";
import { AnthropicUsageSchema } from "../formats/anthropic-messages/schema.js";
import { usageFromBedrock } from "../formats/bedrock-converse/mapping.js";
import { BedrockUsageSchema } from "../formats/bedrock-converse/schema.js";
import { usageFromGemini } from "../formats/gemini/mapping.js";
import { GeminiUsageSchema } from "../formats/gemini/schema.js";
import { usageFromOpenAi } from "../formats/openai-chat/mapping.js";
import { OpenAiUsageSchema } from "../formats/openai-chat/schema.js";
import { usageFromResponses } from "../formats/openai-responses/mapping.js";
import { ResponsesUsageSchema } from "../formats/openai-responses/schema.js";
import type { ApiFormat } from "../formats.js";
import { parseUpstreamBody } from "../upstream-body.js";

type Reader = (body: Record<string, unknown>) => CanonicalUsage;

function reader<S extends v.GenericSchema>(
  field: string,
  schema: S,
  map: (usage: v.InferOutput<S>) => CanonicalUsage,
  what: string,
): Reader {
  return (body) => {
    const usage = body[field];
    return usage === undefined || usage === null ? emptyUsage() : map(parseUpstreamBody(schema, usage, what));
  };
}

const READERS: Record<ApiFormat, Reader> = {
  openai_chat: reader("usage", OpenAiUsageSchema, usageFromOpenAi, "the OpenAI-compatible upstream's usage"),
  anthropic_messages: reader(
    "usage",
    AnthropicUsageSchema,
    (usage) => mergeAnthropicUsage(undefined, usage),
    "the Anthropic upstream's usage",
  ),
  openai_responses: reader("usage", ResponsesUsageSchema, usageFromResponses, "the Responses upstream's usage"),
  gemini: reader("usageMetadata", GeminiUsageSchema, usageFromGemini, "the Gemini upstream's usage"),
  bedrock_converse: reader("usage", BedrockUsageSchema, usageFromBedrock, "the Bedrock upstream's usage"),
};

/**
 * The member that holds a reply's content in each format: most of a long answer's bytes, and never needed to read its
 * usage (a targeted read skips it).
 */
export const REPLY_CONTENT_MEMBER: Readonly<Record<ApiFormat, string>> = {
  openai_chat: "choices",
  anthropic_messages: "content",
  openai_responses: "output",
  gemini: "candidates",
  bedrock_converse: "output",
};

/** The reply's usage (zero when it reports none); a reply that is not a JSON object, or odd usage, throws. */
export function readResponseUsage(format: ApiFormat, body: unknown): CanonicalUsage {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError("upstream_error", `the ${format} upstream returned a reply that is not a JSON object`);
  }
  return READERS[format](body as Record<string, unknown>);
}
