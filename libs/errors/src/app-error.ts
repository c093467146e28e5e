/** AppError: a code from the closed union, a message safe to show the caller, optional details and cause. */
import { type ErrorCode, httpStatusOf, isErrorCode } from "./codes.js";

export interface AppErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  details?: Record<string, unknown>;
  /** Overrides the status from the code table, e.g. to pass an upstream's 4xx through unchanged. */
  status?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
    this.status = options.status ?? httpStatusOf(code);
  }

  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Any thrown value as an AppError; unknown failures become `internal` with the original kept as cause. */
export function toAppError(value: unknown): AppError {
  if (value instanceof AppError) return value;
  if (typeof value === "object" && value !== null && "code" in value && "message" in value) {
    const { code, message } = value as { code: unknown; message: unknown };
    if (isErrorCode(code) && typeof message === "string") return new AppError(code, message, { cause: value });
  }
  return new AppError("internal", "internal error", { cause: value });
}
