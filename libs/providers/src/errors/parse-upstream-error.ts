/**
 * An upstream's non-2xx reply → AppError. 4xx keep the upstream's status (the request itself was refused), 5xx
 * become a retryable 502 upstream_error; the upstream's own message is kept either way.
 */
import { AppError, type ErrorCode } from "@thinkwatch/errors";
import type { ApiFormat } from "../formats.js";

const MAX_MESSAGE = 1000;

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  408: "upstream_timeout",
  409: "conflict",
  413: "payload_too_large",
  422: "bad_request",
  429: "rate_limited",
};

export function parseUpstreamError(format: ApiFormat, status: number, bodyText: string): AppError {
  const { message, type } = extractMessage(bodyText);
  const text = message ?? (bodyText.trim() === "" ? `the upstream answered HTTP ${status}` : truncate(bodyText.trim()));
  const details: Record<string, unknown> = { upstreamStatus: status, upstreamFormat: format };
  if (type !== undefined) details.upstreamType = type;
  if (status >= 400 && status < 500) {
    return new AppError(CODE_BY_STATUS[status] ?? "bad_request", text, {
      status,
      details,
      retryable: status === 429 || status === 408,
    });
  }
  return new AppError("upstream_error", text, { details, retryable: true });
}

/**
 * Every vendor's error envelope: `{error:{message,type|status}}` (OpenAI, Anthropic, Gemini), Gemini's streamed
 * `[{error:…}]`, and AWS's `{message}` / `{Message}` with an optional `__type`.
 */
function extractMessage(bodyText: string): { message?: string; type?: string } {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return {};
  }
  if (Array.isArray(body)) body = body[0];
  if (typeof body !== "object" || body === null) return {};
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === "string") return { message: truncate(error) };
  if (typeof error === "object" && error !== null) {
    const inner = error as Record<string, unknown>;
    const type = firstString(inner.type, inner.status, inner.code);
    const message = firstString(inner.message);
    return { ...(message !== undefined && { message: truncate(message) }), ...(type !== undefined && { type }) };
  }
  const message = firstString(record.message, record.Message);
  const type = firstString(record.__type, record.type);
  return { ...(message !== undefined && { message: truncate(message) }), ...(type !== undefined && { type }) };
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === "string" && value !== "") return value;
  return undefined;
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}
