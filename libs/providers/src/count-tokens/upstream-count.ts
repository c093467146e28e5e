/**
 * Token counting through the upstream's own endpoint where one exists: Anthropic `/v1/messages/count_tokens`,
 * Gemini `models/{model}:countTokens`, Bedrock `CountTokens`. OpenAI-compatible upstreams have none; use
 * countTokensEstimate for them.
 */
import { AppError } from "@thinkwatch/errors";
import type { CanonicalRequest } from "../canonical/request.js";
import { encodeRequest } from "../codecs/request-codecs.js";
import type { EncodeRequestOptions } from "../encode-options.js";
import type { ApiFormat } from "../formats.js";

const ANTHROPIC_COUNT_FIELDS = ["model", "messages", "system", "tools", "tool_choice", "thinking", "output_config"];

export function hasCountTokensEndpoint(format: ApiFormat): boolean {
  return format === "anthropic_messages" || format === "gemini" || format === "bedrock_converse";
}

/** The body for the upstream's counting endpoint (for Gemini and Bedrock the model goes in the URL). */
export function encodeCountTokensRequest(
  format: ApiFormat,
  req: CanonicalRequest,
  opts: EncodeRequestOptions,
): Record<string, unknown> {
  const full = encodeRequest(format, { ...req, stream: false }, opts);
  switch (format) {
    case "anthropic_messages":
      return Object.fromEntries(Object.entries(full).filter(([key]) => ANTHROPIC_COUNT_FIELDS.includes(key)));
    case "gemini": {
      const { contents, systemInstruction, tools, toolConfig, generationConfig } = full;
      const inner: Record<string, unknown> = { model: `models/${opts.upstreamModel}`, contents };
      if (systemInstruction !== undefined) inner.systemInstruction = systemInstruction;
      if (tools !== undefined) inner.tools = tools;
      if (toolConfig !== undefined) inner.toolConfig = toolConfig;
      if (generationConfig !== undefined) inner.generationConfig = generationConfig;
      return { generateContentRequest: inner };
    }
    case "bedrock_converse": {
      const { messages, system, toolConfig, additionalModelRequestFields } = full;
      const converse: Record<string, unknown> = { messages };
      if (system !== undefined) converse.system = system;
      if (toolConfig !== undefined) converse.toolConfig = toolConfig;
      if (additionalModelRequestFields !== undefined) converse.additionalModelRequestFields = additionalModelRequestFields;
      return { input: { converse } };
    }
    default:
      throw new AppError("not_implemented", `the ${format} API has no token-counting endpoint`);
  }
}

/** The input-token count from the counting endpoint's reply. */
export function decodeCountTokensResponse(format: ApiFormat, body: unknown): number {
  const record = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const value =
    format === "anthropic_messages" ? record.input_tokens : format === "gemini" ? record.totalTokens : record.inputTokens;
  if (typeof value !== "number") throw new AppError("upstream_error", `the ${format} token-counting endpoint returned no count`);
  return value;
}
