/** OpenAI's error object, for every error an OpenAI-API caller receives from the gateway. */
import type { AppError } from "@thinkwatch/errors";

const TYPE_BY_CODE: Record<string, string> = {
  bad_request: "invalid_request_error",
  validation_failed: "invalid_request_error",
  payload_too_large: "invalid_request_error",
  unauthenticated: "authentication_error",
  invalid_api_key: "authentication_error",
  forbidden: "permission_error",
  not_found: "invalid_request_error",
  model_not_found: "invalid_request_error",
  rate_limited: "rate_limit_error",
  budget_exceeded: "insufficient_quota",
};

export function openAiErrorBody(error: AppError): {
  error: { message: string; type: string; param: string | null; code: string };
} {
  const param = typeof error.details?.param === "string" ? error.details.param : null;
  return {
    error: {
      message: error.message,
      type: TYPE_BY_CODE[error.code] ?? (error.status >= 500 ? "api_error" : "invalid_request_error"),
      param,
      code: error.code,
    },
  };
}

export function openAiErrorResponse(error: AppError, requestId: string): Response {
  const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": requestId };
  const retryAfter = error.details?.retryAfterSeconds;
  if (typeof retryAfter === "number") headers["retry-after"] = String(retryAfter);
  return new Response(JSON.stringify(openAiErrorBody(error)), { status: error.status, headers });
}
