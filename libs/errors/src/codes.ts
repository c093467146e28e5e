/**
 * The closed set of error codes. One table maps each to an HTTP status; the same code travels on NATS
 * (in the reply's error header) so an edge can rebuild the error its caller should see.
 */
export const ERROR_CODES = {
  bad_request: 400,
  validation_failed: 400,
  payload_too_large: 413,
  unauthenticated: 401,
  invalid_api_key: 401,
  forbidden: 403,
  not_found: 404,
  model_not_found: 404,
  conflict: 409,
  rate_limited: 429,
  budget_exceeded: 429,
  upstream_error: 502,
  upstream_timeout: 504,
  unavailable: 503,
  not_implemented: 501,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}
