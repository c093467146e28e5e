/** Turns an error reported inside an upstream stream into the AppError carried by a canonical error event. */
import { AppError } from "@thinkwatch/errors";

export function upstreamStreamError(message: string | null | undefined, type?: string | null): AppError {
  const text =
    message !== undefined && message !== null && message !== "" ? message : "the upstream reported an error mid-stream";
  return new AppError("upstream_error", text, { retryable: true, details: type ? { upstreamType: type } : undefined });
}

export function truncatedStreamError(): AppError {
  return new AppError("upstream_error", "the upstream stream ended before the response was complete", { retryable: true });
}

/** JSON.parse for one event's data, or an AppError when the upstream sent something that is not JSON. */
export function parseEventJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new AppError("upstream_error", "the upstream stream contained an event that is not valid JSON");
  }
}
