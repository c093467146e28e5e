/**
 * OpenAI's error body, `{ "error": { "message", "type", "param", "code" } }`, with the type and code OpenAI
 * uses for each status. Also what OpenAI-compatible servers (and Azure, past authentication) send.
 */
import type { ProviderError } from "./respond.js";

const BY_STATUS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request." },
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided." },
  403: {
    type: "invalid_request_error",
    code: "unsupported_country_region_territory",
    message: "Country, region, or territory not supported",
  },
  404: {
    type: "invalid_request_error",
    code: "model_not_found",
    message: "The model does not exist or you do not have access to it.",
  },
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests. Please try again in 20ms." },
  500: { type: "server_error", code: null, message: "The server had an error while processing your request. Sorry about that!" },
  503: { type: "server_error", code: null, message: "The engine is currently overloaded, please try again later" },
};

export interface OpenAiErrorFields {
  type?: string;
  code?: string | null;
  param?: string | null;
}

export function openaiError(status: number, message?: string, fields: OpenAiErrorFields = {}): ProviderError {
  const known = BY_STATUS[status] ?? {
    type: status >= 500 ? "server_error" : "invalid_request_error",
    code: null,
    message: "Request failed.",
  };
  const error = {
    message: message ?? known.message,
    type: fields.type ?? known.type,
    param: fields.param ?? null,
    code: fields.code === undefined ? known.code : fields.code,
  };
  return { status, body: { error } };
}

/** The 401 OpenAI sends for a wrong key, which shows only the key's last four characters. */
export function openaiInvalidKey(presented: string | undefined): ProviderError {
  if (presented === undefined || presented === "") {
    return openaiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
    );
  }
  const shown = presented.length > 4 ? `${"*".repeat(Math.min(presented.length - 4, 12))}${presented.slice(-4)}` : presented;
  return openaiError(
    401,
    `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`,
  );
}
