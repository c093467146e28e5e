/** One entry point per direction for non-streamed chat responses. */
import type { CanonicalResponse } from "../canonical/response.js";
import type { EncodeResponseOptions } from "../encode-options.js";
import { decodeAnthropicResponse, encodeAnthropicResponse } from "../formats/anthropic-messages/response.js";
import { decodeBedrockResponse, encodeBedrockResponse } from "../formats/bedrock-converse/response.js";
import { decodeGeminiResponse, encodeGeminiResponse } from "../formats/gemini/response.js";
import { decodeOpenAiChatResponse, encodeOpenAiChatResponse } from "../formats/openai-chat/response.js";
import { decodeResponsesResponse, encodeResponsesResponse } from "../formats/openai-responses/response.js";
import type { ApiFormat } from "../formats.js";

const DECODERS: Record<ApiFormat, (body: unknown) => CanonicalResponse> = {
  openai_chat: decodeOpenAiChatResponse,
  anthropic_messages: decodeAnthropicResponse,
  openai_responses: decodeResponsesResponse,
  gemini: decodeGeminiResponse,
  bedrock_converse: decodeBedrockResponse,
};

const ENCODERS: Record<ApiFormat, (res: CanonicalResponse, opts: EncodeResponseOptions) => Record<string, unknown>> = {
  openai_chat: encodeOpenAiChatResponse,
  anthropic_messages: encodeAnthropicResponse,
  openai_responses: encodeResponsesResponse,
  gemini: encodeGeminiResponse,
  bedrock_converse: encodeBedrockResponse,
};

/** An upstream's JSON reply → canonical; an unreadable shape throws AppError("upstream_error"). */
export function decodeResponse(format: ApiFormat, body: unknown): CanonicalResponse {
  return DECODERS[format](body);
}

/** The JSON reply for a client of `format`; ids derive from the request id, the model is the client's. */
export function encodeResponse(format: ApiFormat, res: CanonicalResponse, opts: EncodeResponseOptions): Record<string, unknown> {
  return ENCODERS[format](res, opts);
}
