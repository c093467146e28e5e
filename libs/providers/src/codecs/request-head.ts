/**
 * The head of a generation request, read without its conversation: what routing, quota and a pass-through need of
 * it (model, stream, the usage option, max tokens, reasoning). A large body forwarded as it came need not be decoded
 * whole for these: its other members are decoded by the format's own decoder with a one-message stand-in for the
 * conversation, so every head field means what decodeRequest says it means, and those members are validated as
 * usual. The conversation itself is left to the upstream to validate.
 */
import type { CanonicalRequest } from "../canonical/request.js";
import type { InboundFormat } from "../formats.js";
import { type DecodeRequestOptions, decodeRequest } from "./request-codecs.js";

export type RequestHead = Pick<CanonicalRequest, "model" | "stream" | "includeUsage" | "maxTokens" | "reasoning">;

/** The member that holds the conversation in each inbound format: most of a large body's bytes. */
export const CONVERSATION_MEMBER: Readonly<Record<InboundFormat, string>> = {
  openai_chat: "messages",
  anthropic_messages: "messages",
  openai_responses: "input",
  gemini: "contents",
};

const STAND_IN: Readonly<Record<InboundFormat, () => unknown>> = {
  openai_chat: () => [{ role: "user", content: "." }],
  anthropic_messages: () => [{ role: "user", content: "." }],
  openai_responses: () => ".",
  gemini: () => [{ role: "user", parts: [{ text: "." }] }],
};

/** The head of a canonical request (of a whole decode). */
export function requestHeadOf(canonical: CanonicalRequest): RequestHead {
  return {
    model: canonical.model,
    stream: canonical.stream,
    includeUsage: canonical.includeUsage,
    ...(canonical.maxTokens !== undefined && { maxTokens: canonical.maxTokens }),
    ...(canonical.reasoning !== undefined && { reasoning: canonical.reasoning }),
  };
}

/**
 * The head of a request from its members other than the conversation (`members` must not hold it). Throws what
 * decodeRequest throws for those members.
 */
export function decodeRequestHead(
  format: InboundFormat,
  members: Record<string, unknown>,
  opts: DecodeRequestOptions = {},
): RequestHead {
  return requestHeadOf(decodeRequest(format, { ...members, [CONVERSATION_MEMBER[format]]: STAND_IN[format]() }, opts));
}
