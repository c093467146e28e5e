/**
 * What the provider form asks for per provider kind: which connection fields exist, which are required, and what
 * admin-api fills in when left empty. Data only, so the form has no per-kind branches.
 */
import type { ProviderKind } from "./providers-api";

export type ProviderSettingKey = "apiVersion" | "region" | "accessKeyId";

export interface ProviderSettingSpec {
  key: ProviderSettingKey;
  label: string;
  placeholder: string;
}

export interface ProviderKindSpec {
  kind: ProviderKind;
  label: string;
  /** Shown as the base URL placeholder; admin-api uses it when the field is left empty. */
  defaultBaseUrl: string | undefined;
  baseUrlRequired: boolean;
  apiKeyLabel: string;
  apiKeyRequired: boolean;
  /** Required connection settings for this kind. */
  settings: ProviderSettingSpec[];
  /**
   * The OpenAI Responses API: always there (a list of Responses-only models can be given), optional (the admin says
   * whether the server has it), or absent (neither field is shown).
   */
  responsesApi: "always" | "optional" | "never";
  modelPlaceholder: string;
}

export const PROVIDER_KINDS: readonly ProviderKindSpec[] = [
  {
    kind: "openai",
    label: "OpenAI",
    defaultBaseUrl: "https://api.openai.com/v1",
    baseUrlRequired: false,
    apiKeyLabel: "API key",
    apiKeyRequired: false,
    settings: [],
    responsesApi: "always",
    modelPlaceholder: "gpt-4o-mini",
  },
  {
    kind: "anthropic",
    label: "Anthropic",
    defaultBaseUrl: "https://api.anthropic.com",
    baseUrlRequired: false,
    apiKeyLabel: "API key",
    apiKeyRequired: false,
    settings: [],
    responsesApi: "never",
    modelPlaceholder: "claude-sonnet-4-5",
  },
  {
    kind: "gemini",
    label: "Google Gemini",
    defaultBaseUrl: "https://generativelanguage.googleapis.com",
    baseUrlRequired: false,
    apiKeyLabel: "API key",
    apiKeyRequired: false,
    settings: [],
    responsesApi: "never",
    modelPlaceholder: "gemini-2.5-flash",
  },
  {
    kind: "azure_openai",
    label: "Azure OpenAI",
    defaultBaseUrl: undefined,
    baseUrlRequired: true,
    apiKeyLabel: "API key",
    apiKeyRequired: false,
    settings: [{ key: "apiVersion", label: "API version", placeholder: "2024-10-21" }],
    responsesApi: "always",
    modelPlaceholder: "my-deployment",
  },
  {
    kind: "bedrock",
    label: "AWS Bedrock",
    // admin-api derives https://bedrock-runtime.<region>.amazonaws.com from the region.
    defaultBaseUrl: undefined,
    baseUrlRequired: false,
    apiKeyLabel: "Secret access key",
    apiKeyRequired: true,
    settings: [
      { key: "region", label: "Region", placeholder: "us-east-1" },
      { key: "accessKeyId", label: "Access key id", placeholder: "AKIA…" },
    ],
    responsesApi: "never",
    modelPlaceholder: "anthropic.claude-3-5-haiku-20241022-v1:0",
  },
  {
    kind: "openai_compatible",
    label: "OpenAI-compatible (vLLM, Ollama, …)",
    defaultBaseUrl: undefined,
    baseUrlRequired: true,
    apiKeyLabel: "API key",
    apiKeyRequired: false,
    settings: [],
    responsesApi: "optional",
    modelPlaceholder: "llama-3.1-8b-instruct",
  },
];

export function providerKindSpec(kind: ProviderKind): ProviderKindSpec {
  const spec = PROVIDER_KINDS.find((entry) => entry.kind === kind);
  if (spec === undefined) throw new Error(`unknown provider kind ${kind}`);
  return spec;
}

export function providerKindLabel(kind: string): string {
  return PROVIDER_KINDS.find((entry) => entry.kind === kind)?.label ?? kind;
}
