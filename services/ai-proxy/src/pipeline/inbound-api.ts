/** The client APIs the gateway serves: their wire format, their name in audit rows, and how errors look in them. */
import type { AppError } from "@thinkwatch/errors";
import type { InboundApi } from "@thinkwatch/proto";
import { type InboundFormat, renderError } from "@thinkwatch/providers";
import { headroomOfDetails, setRateLimitHeaders } from "../quota/rate-limit-headers.js";

export interface InboundSpec {
  format: InboundFormat;
  audit: InboundApi;
}

export const INBOUND = {
  openaiChat: { format: "openai_chat", audit: "openai_chat" },
  anthropicMessages: { format: "anthropic_messages", audit: "anthropic_messages" },
  openaiResponses: { format: "openai_responses", audit: "openai_responses" },
  gemini: { format: "gemini", audit: "gemini" },
} as const satisfies Record<string, InboundSpec>;

/** An error as the caller's API shapes it, with Retry-After on limits. */
export function errorResponse(format: InboundFormat, error: AppError, requestId: string): Response {
  const { status, body } = renderError(format, error);
  const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": requestId };
  const retryAfter = error.details?.retryAfterSeconds;
  if (typeof retryAfter === "number") headers["retry-after"] = String(retryAfter);
  setRateLimitHeaders(headers, headroomOfDetails(error.details));
  return new Response(JSON.stringify(body), { status, headers });
}
