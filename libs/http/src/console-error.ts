/** The one error body of the console API: `{ "error": { code, message, requestId, details? } }`. */
import type { AppError } from "@thinkwatch/errors";

export interface ConsoleErrorBody {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

export function consoleErrorBody(error: AppError, requestId: string): ConsoleErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      requestId,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}
