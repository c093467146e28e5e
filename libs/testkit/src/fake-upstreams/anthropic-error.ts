/** Anthropic's error body, `{ "type": "error", "error": { "type", "message" }, "request_id" }`, per status. */
import type { ProviderError } from "./respond.js";

const BY_STATUS: Record<number, { type: string; message: string }> = {
  400: { type: "invalid_request_error", message: "Invalid request." },
  401: { type: "authentication_error", message: "invalid x-api-key" },
  403: { type: "permission_error", message: "Your API key does not have permission to use the specified resource." },
  404: { type: "not_found_error", message: "Not found." },
  413: { type: "request_too_large", message: "Request exceeds the maximum allowed number of bytes." },
  429: { type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit." },
  500: { type: "api_error", message: "Internal server error" },
  529: { type: "overloaded_error", message: "Overloaded" },
};

export function anthropicError(status: number, message: string | undefined, requestId: string): ProviderError {
  const known = BY_STATUS[status] ?? { type: status >= 500 ? "api_error" : "invalid_request_error", message: "Request failed." };
  return {
    status,
    body: { type: "error", error: { type: known.type, message: message ?? known.message }, request_id: requestId },
    headers: { "request-id": requestId },
  };
}
