/**
 * The one error type the console shows: admin-api's `{ error: { code, message, requestId, details? } }` body, or a
 * transport failure dressed the same way so every screen handles errors with one code path.
 */

/** Field path (e.g. `admin.password`, `settings.region`) → message, from `details.fields` of a validation error. */
export type FieldErrors = Record<string, string>;

export class ApiError extends Error {
  override readonly name = "ApiError";
  /** HTTP status; 0 when the request never got a response. */
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly fields: FieldErrors;

  constructor(init: { status: number; code: string; message: string; requestId?: string | null; fields?: FieldErrors }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.fields = init.fields ?? {};
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readFields(details: unknown): FieldErrors {
  if (!isRecord(details) || !isRecord(details.fields)) return {};
  const fields: FieldErrors = {};
  for (const [path, message] of Object.entries(details.fields)) {
    if (typeof message === "string") fields[path] = message;
  }
  return fields;
}

/**
 * Turn a non-2xx response into an ApiError. The body may not be ours (a proxy's HTML 502, an empty 504), so anything
 * that is not the console error shape falls back to a message built from the status.
 */
export function parseApiError(status: number, bodyText: string, requestIdHeader: string | null = null): ApiError {
  let body: unknown;
  try {
    body = bodyText === "" ? undefined : JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const requestId = typeof error?.requestId === "string" ? error.requestId : requestIdHeader;
  if (error !== undefined && typeof error.message === "string") {
    return new ApiError({
      status,
      code: typeof error.code === "string" ? error.code : `http_${status}`,
      message: error.message,
      requestId,
      fields: readFields(error.details),
    });
  }
  return new ApiError({ status, code: `http_${status}`, message: `the server answered HTTP ${status}`, requestId });
}

/** A fetch that failed before any response (server down, connection reset, CORS, offline). */
export function networkError(cause: unknown): ApiError {
  const detail = cause instanceof Error ? `: ${cause.message}` : "";
  return new ApiError({ status: 0, code: "network_error", message: `could not reach the console API${detail}` });
}

/** Any thrown value as an ApiError, so components can render every failure the same way. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({ status: 0, code: "client_error", message: error instanceof Error ? error.message : String(error) });
}

/** A form's own checks failed before any request: shown exactly like the server's validation errors. */
export function invalidInput(fields: FieldErrors): ApiError {
  return new ApiError({ status: 0, code: "validation_failed", message: "some fields are invalid", fields });
}
