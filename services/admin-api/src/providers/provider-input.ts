/**
 * What an admin sends to create a provider, checked per kind: OpenAI-compatible and Azure need a base URL, Azure an
 * api-version, Bedrock a region and access key id. Known kinds get their public base URL by default.
 */
import type { CreateProviderInput } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import type { ProviderKindSchema } from "@thinkwatch/proto";
import type * as v from "valibot";

const DEFAULT_BASE_URLS: Partial<Record<v.InferOutput<typeof ProviderKindSchema>, string>> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
  gemini: "https://generativelanguage.googleapis.com",
};

/** The base URL to store, after the per-kind rules. */
export function resolveProviderInput(input: CreateProviderInput): { baseUrl: string } {
  const problems: Record<string, string> = {};
  const baseUrl = input.baseUrl ?? DEFAULT_BASE_URLS[input.kind];
  if (baseUrl === undefined && input.kind !== "bedrock") problems.baseUrl = `baseUrl is required for ${input.kind} providers`;
  if (input.kind === "azure_openai" && typeof input.settings.apiVersion !== "string") {
    problems["settings.apiVersion"] = "Azure OpenAI needs settings.apiVersion (e.g. 2024-10-21)";
  }
  if (input.kind === "bedrock") {
    if (typeof input.settings.region !== "string") problems["settings.region"] = "Bedrock needs settings.region (e.g. us-east-1)";
    if (typeof input.settings.accessKeyId !== "string") problems["settings.accessKeyId"] = "Bedrock needs settings.accessKeyId";
    if (input.apiKey === undefined) problems.apiKey = "Bedrock needs apiKey (the secret access key)";
  }
  for (const [field, value] of Object.entries(input.settings)) {
    if (/secret|password|token/i.test(field) && field !== "accessKeyId") {
      problems[`settings.${field}`] = "secrets go in apiKey (stored encrypted), not in settings";
    }
    if (value === undefined) problems[`settings.${field}`] = "must have a value";
  }
  if (Object.keys(problems).length > 0) {
    throw new AppError("validation_failed", `invalid provider: ${Object.values(problems).join("; ")}`, {
      details: { fields: problems },
    });
  }
  const region = typeof input.settings.region === "string" ? input.settings.region : "us-east-1";
  return { baseUrl: baseUrl ?? `https://bedrock-runtime.${region}.amazonaws.com` };
}
