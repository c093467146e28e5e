/**
 * Google's API error body, `{ "error": { "code", "message", "status" } }`, and the two authentication failures
 * the Gemini API distinguishes: no key (403 PERMISSION_DENIED) and a wrong key (400 INVALID_ARGUMENT with an
 * `API_KEY_INVALID` ErrorInfo detail).
 */
import type { ProviderError } from "./respond.js";

const BY_STATUS: Record<number, { status: string; message: string }> = {
  400: { status: "INVALID_ARGUMENT", message: "Request contains an invalid argument." },
  401: { status: "UNAUTHENTICATED", message: "Request had invalid authentication credentials." },
  403: { status: "PERMISSION_DENIED", message: "The caller does not have permission" },
  404: { status: "NOT_FOUND", message: "Requested entity was not found." },
  429: { status: "RESOURCE_EXHAUSTED", message: "Resource has been exhausted (e.g. check quota)." },
  500: {
    status: "INTERNAL",
    message:
      "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  },
  503: { status: "UNAVAILABLE", message: "The model is overloaded. Please try again later." },
  504: { status: "DEADLINE_EXCEEDED", message: "Deadline expired before operation could complete." },
};

export function geminiError(status: number, message?: string, details?: unknown[]): ProviderError {
  const known = BY_STATUS[status] ?? { status: status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION", message: "Request failed." };
  const error: Record<string, unknown> = { code: status, message: message ?? known.message, status: known.status };
  if (details !== undefined) error.details = details;
  return { status, body: { error } };
}

export function geminiMissingKey(): ProviderError {
  return geminiError(
    403,
    "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  );
}

export function geminiInvalidKey(): ProviderError {
  return geminiError(400, "API key not valid. Please pass a valid API key.", [
    {
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "API_KEY_INVALID",
      domain: "googleapis.com",
      metadata: { service: "generativelanguage.googleapis.com" },
    },
  ]);
}
