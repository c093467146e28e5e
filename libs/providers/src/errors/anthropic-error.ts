/** AppError → Anthropic's error body `{"type":"error","error":{"type","message"}}` with Anthropic's type names. */
import type { AppError } from "@thinkwatch/errors";

export function anthropicErrorType(error: AppError): string {
  switch (error.status) {
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    default:
      return error.status >= 500 ? "api_error" : "invalid_request_error";
  }
}

export function renderAnthropicErrorBody(error: AppError): { type: "error"; error: { type: string; message: string } } {
  return { type: "error", error: { type: anthropicErrorType(error), message: error.message } };
}
