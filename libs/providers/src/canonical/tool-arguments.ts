/**
 * Tool-call arguments travel as JSON text in OpenAI formats and as objects everywhere else; these helpers convert
 * with an error that names the offending field instead of a bare JSON.parse message.
 */
import { AppError } from "@thinkwatch/errors";

export function parseToolArguments(argumentsText: string, field: string): Record<string, unknown> {
  if (argumentsText.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(argumentsText);
  } catch {
    throw new AppError("bad_request", `${field} is not valid JSON; tool-call arguments must be a JSON object`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AppError("bad_request", `${field} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

export function stringifyToolArguments(value: unknown): string {
  return JSON.stringify(value ?? {});
}
