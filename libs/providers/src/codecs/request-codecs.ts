/** One entry point per direction for chat requests: decode any format to canonical, encode canonical to any format. */
import { AppError } from "@thinkwatch/errors";
import { inlineInstructions } from "../canonical/instructions.js";
import type { CanonicalRequest } from "../canonical/request.js";
import type { EncodeRequestOptions } from "../encode-options.js";
import { decodeAnthropicRequest } from "../formats/anthropic-messages/request-decode.js";
import { encodeAnthropicRequest } from "../formats/anthropic-messages/request-encode.js";
import { decodeBedrockRequest } from "../formats/bedrock-converse/request-decode.js";
import { encodeBedrockRequest } from "../formats/bedrock-converse/request-encode.js";
import { decodeGeminiRequest } from "../formats/gemini/request-decode.js";
import { encodeGeminiRequest } from "../formats/gemini/request-encode.js";
import { decodeOpenAiChatRequest } from "../formats/openai-chat/request-decode.js";
import { encodeOpenAiChatRequest } from "../formats/openai-chat/request-encode.js";
import { decodeResponsesRequest } from "../formats/openai-responses/request-decode.js";
import { encodeResponsesRequest } from "../formats/openai-responses/request-encode.js";
import type { ApiFormat } from "../formats.js";
import { withUnmappablePolicy } from "../unmappable.js";

export interface DecodeRequestOptions {
  /** Gemini and Bedrock: the model from the URL path. */
  model?: string;
  /** Gemini and Bedrock: whether the URL asked for a stream (`:streamGenerateContent`, `converse-stream`). */
  stream?: boolean;
  /** Anthropic: the body is a `/v1/messages/count_tokens` request (no max_tokens). */
  countTokens?: boolean;
}

function urlModel(opts: DecodeRequestOptions): { model: string; stream: boolean } {
  if (opts.model === undefined || opts.model === "") {
    throw new AppError("validation_failed", "invalid request: the model must be given in the URL path");
  }
  return { model: opts.model, stream: opts.stream === true };
}

const DECODERS: Record<ApiFormat, (body: unknown, opts: DecodeRequestOptions) => CanonicalRequest> = {
  openai_chat: (body) => decodeOpenAiChatRequest(body),
  anthropic_messages: (body, opts) => decodeAnthropicRequest(body, { countTokens: opts.countTokens === true }),
  openai_responses: (body) => decodeResponsesRequest(body),
  gemini: (body, opts) => decodeGeminiRequest(body, urlModel(opts)),
  bedrock_converse: (body, opts) => decodeBedrockRequest(body, urlModel(opts)),
};

const ENCODERS: Record<ApiFormat, (req: CanonicalRequest, opts: EncodeRequestOptions) => Record<string, unknown>> = {
  openai_chat: encodeOpenAiChatRequest,
  anthropic_messages: encodeAnthropicRequest,
  openai_responses: encodeResponsesRequest,
  gemini: encodeGeminiRequest,
  bedrock_converse: encodeBedrockRequest,
};

/** Validates a client's request body and converts it; throws AppError("validation_failed") naming the bad field. */
export function decodeRequest(format: ApiFormat, body: unknown, opts: DecodeRequestOptions = {}): CanonicalRequest {
  return DECODERS[format](body, opts);
}

/**
 * The JSON body to send to an upstream of `format`. Throws AppError("bad_request") for a parameter unmappable.ts
 * rejects for that format. Gemini and Bedrock bodies carry no model: it goes in the URL.
 */
export function encodeRequest(format: ApiFormat, req: CanonicalRequest, opts: EncodeRequestOptions): Record<string, unknown> {
  const policy =
    opts.dropped === undefined && opts.strict !== true
      ? undefined
      : { strict: opts.strict === true, dropped: opts.dropped ?? new Set<string>() };
  const placed = format === "openai_chat" || format === "openai_responses" ? req : inlineInstructions(req);
  return withUnmappablePolicy(policy, () => ENCODERS[format](placed, opts));
}
