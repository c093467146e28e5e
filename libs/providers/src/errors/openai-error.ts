/** AppError → the OpenAI error object, shared by Chat Completions and Responses. */
import type { AppError, ErrorCode } from "@thinkwatch/errors";

/** OpenAI's own code strings where one exists, ours otherwise. */
const OPENAI_CODE: Partial<Record<ErrorCode, string>> = {
  invalid_api_key: "invalid_api_key",
  model_not_found: "model_not_found",
  rate_limited: "rate_limit_exceeded",
  budget_exceeded: "insufficient_quota",
};

export function openAiErrorType(error: AppError): string {
  if (error.code === "budget_exceeded") return "insufficient_quota";
  const status = error.status;
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

export function renderOpenAiErrorBody(error: AppError): {
  error: { message: string; type: string; param: string | null; code: string };
} {
  const param = error.details?.param;
  return {
    error: {
      message: error.message,
      type: openAiErrorType(error),
      param: typeof param === "string" ? param : null,
      code: OPENAI_CODE[error.code] ?? error.code,
    },
  };
}
