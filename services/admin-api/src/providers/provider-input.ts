/**
 * What an admin sends to create or update a provider, checked per kind: OpenAI-compatible and Azure need a base URL,
 * Azure an api-version, Bedrock a region and access key id; the Responses API settings have their types and kinds
 * (responses-settings.ts). Known kinds get their public base URL by default. The
 * base URL must pass the egress policy and extra headers the header rules; secrets (API key, secret headers) are
 * write-only.
 */

import { headerProblems } from "@thinkwatch/console-api";
import { checkUpstreamUrl, type EgressPolicy } from "@thinkwatch/egress";
import { AppError } from "@thinkwatch/errors";
import type { ProviderKind } from "@thinkwatch/proto";
import { responsesSettingsProblems } from "./responses-settings.js";

const DEFAULT_BASE_URLS: Partial<Record<ProviderKind, string>> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
  gemini: "https://generativelanguage.googleapis.com",
};

/** The provider as it will be stored, for the rule checks (after merging an update into the current row). */
export interface ProviderShape {
  kind: ProviderKind;
  baseUrl: string | undefined;
  hasApiKey: boolean;
  settings: Record<string, unknown>;
  secretHeaders: Record<string, string> | null | undefined;
}

/** Check the per-kind, egress and header rules; returns the base URL to store. */
export function checkProviderShape(shape: ProviderShape, egress: EgressPolicy): { baseUrl: string } {
  const problems: Record<string, string> = {};
  const { kind, settings } = shape;
  const region = typeof settings.region === "string" ? settings.region : "us-east-1";
  const baseUrl =
    shape.baseUrl ??
    DEFAULT_BASE_URLS[kind] ??
    (kind === "bedrock" ? `https://bedrock-runtime.${region}.amazonaws.com` : undefined);
  if (baseUrl === undefined) problems.baseUrl = `baseUrl is required for ${kind} providers`;
  else {
    const verdict = checkUpstreamUrl(baseUrl, egress);
    if (!verdict.allowed) problems.baseUrl = `baseUrl ${verdict.reason}`;
  }
  if (kind === "azure_openai" && typeof settings.apiVersion !== "string") {
    problems["settings.apiVersion"] = "Azure OpenAI needs settings.apiVersion (e.g. 2024-10-21)";
  }
  if (kind === "bedrock") {
    if (typeof settings.region !== "string") problems["settings.region"] = "Bedrock needs settings.region (e.g. us-east-1)";
    if (typeof settings.accessKeyId !== "string") problems["settings.accessKeyId"] = "Bedrock needs settings.accessKeyId";
    if (!shape.hasApiKey) problems.apiKey = "Bedrock needs apiKey (the secret access key)";
  }
  for (const [field, value] of Object.entries(settings)) {
    if (field === "headers") continue;
    if (/secret|password|token/i.test(field) && field !== "accessKeyId") {
      problems[`settings.${field}`] = "secrets go in apiKey (stored encrypted), not in settings";
    }
    if (value === undefined) problems[`settings.${field}`] = "must have a value";
  }
  Object.assign(problems, responsesSettingsProblems(kind, settings));
  if (settings.headers !== undefined) {
    if (typeof settings.headers !== "object" || settings.headers === null || Array.isArray(settings.headers)) {
      problems["settings.headers"] = "must be an object of header names to values";
    } else Object.assign(problems, headerProblems("settings.headers", settings.headers as Record<string, unknown>, "plain"));
  }
  if (shape.secretHeaders) Object.assign(problems, headerProblems("secretHeaders", shape.secretHeaders, "secret"));
  if (Object.keys(problems).length > 0) {
    throw new AppError("validation_failed", `invalid provider: ${Object.values(problems).join("; ")}`, {
      details: { fields: problems },
    });
  }
  return { baseUrl: baseUrl as string };
}
