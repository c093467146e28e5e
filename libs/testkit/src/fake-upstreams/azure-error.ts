/**
 * Azure OpenAI's own error bodies, `{ "error": { "code": "<status>", "message" } }`, sent by its front door for
 * authentication, routing (a missing `api-version` is a 404) and throttling. Request validation errors past
 * that point are OpenAI-shaped.
 */
import { openaiError } from "./openai-error.js";
import type { ProviderError } from "./respond.js";

const MESSAGES: Record<number, string> = {
  401: "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
  404: "Resource not found",
  429: "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current AIServices S0 pricing tier. Please retry after 1 second.",
  500: "The server had an error while processing your request. Sorry about that!",
  503: "The service is temporarily unable to process your request. Please try again later.",
};

export function azureError(status: number, message?: string): ProviderError {
  if (status === 400) return openaiError(400, message);
  const headers: Record<string, string> = status === 429 ? { "retry-after": "1" } : {};
  return {
    status,
    body: { error: { code: String(status), message: message ?? MESSAGES[status] ?? "Request failed." } },
    headers,
  };
}
