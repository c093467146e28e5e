/** A non-streamed error reply in the shape of the API the client called. */
import type { AppError } from "@thinkwatch/errors";
import type { ApiFormat } from "../formats.js";
import { renderAnthropicErrorBody } from "./anthropic-error.js";
import { renderGeminiErrorBody } from "./gemini-error.js";
import { renderOpenAiErrorBody } from "./openai-error.js";

export function renderError(format: ApiFormat, error: AppError): { status: number; body: Record<string, unknown> } {
  switch (format) {
    case "openai_chat":
    case "openai_responses":
      return { status: error.status, body: renderOpenAiErrorBody(error) };
    case "anthropic_messages":
      return { status: error.status, body: renderAnthropicErrorBody(error) };
    case "gemini":
      return { status: error.status, body: renderGeminiErrorBody(error) };
    case "bedrock_converse":
      // Bedrock is never called by clients; AWS's shape is a bare message.
      return { status: error.status, body: { message: error.message } };
  }
}
