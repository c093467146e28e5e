/** Turns the provider form's raw values into the create-provider request: trimmed, empty fields left out. */
import type { FieldErrors } from "../api/api-error";
import { providerKindSpec } from "./provider-kinds";
import type { CreateProviderRequest, ProviderKind } from "./providers-api";

export interface ModelRow {
  model: string;
  upstreamModel: string;
}

export interface ProviderFormValues {
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  apiKey: string;
  /** Values of every kind's settings inputs; only the selected kind's are sent. */
  settings: Record<string, string>;
  /** The OpenAI-compatible server also serves the Responses API (settings.responsesApi). */
  responsesApi: boolean;
  /** Comma-separated upstream model names or patterns that exist only on the Responses API (settings.responsesModels). */
  responsesModels: string;
  models: ModelRow[];
}

export function emptyProviderForm(kind: ProviderKind = "openai"): ProviderFormValues {
  return {
    name: "",
    kind,
    baseUrl: "",
    apiKey: "",
    settings: {},
    responsesApi: false,
    responsesModels: "",
    models: [{ model: "", upstreamModel: "" }],
  };
}

export function buildProviderRequest(values: ProviderFormValues): CreateProviderRequest {
  const spec = providerKindSpec(values.kind);
  const request: CreateProviderRequest = { name: values.name.trim(), kind: values.kind };

  const baseUrl = values.baseUrl.trim();
  if (baseUrl !== "") request.baseUrl = baseUrl;
  // Keys are often pasted with a trailing newline; no provider key contains whitespace.
  const apiKey = values.apiKey.trim();
  if (apiKey !== "") request.apiKey = apiKey;

  const settings: Record<string, unknown> = {};
  for (const setting of spec.settings) {
    const value = values.settings[setting.key]?.trim() ?? "";
    if (value !== "") settings[setting.key] = value;
  }
  if (spec.responsesApi === "optional" && values.responsesApi) settings.responsesApi = true;
  const responsesModels = responsesModelNames(values.responsesModels);
  if (spec.responsesApi !== "never" && responsesModels.length > 0) settings.responsesModels = responsesModels;
  if (Object.keys(settings).length > 0) request.settings = settings;

  const models = values.models
    .map((row) => ({ model: row.model.trim(), upstreamModel: row.upstreamModel.trim() }))
    .filter((row) => row.model !== "")
    .map((row) => (row.upstreamModel === "" ? { model: row.model } : { model: row.model, upstreamModel: row.upstreamModel }));
  if (models.length > 0) request.models = models;

  return request;
}

/**
 * The required fields the form can see are missing, all at once: admin-api checks the per-kind fields only after the
 * common ones pass, which would make the user fix them in two rounds.
 */
export function missingProviderFields(values: ProviderFormValues): FieldErrors {
  const spec = providerKindSpec(values.kind);
  const fields: FieldErrors = {};
  if (values.name.trim() === "") fields.name = "name is required";
  if (spec.baseUrlRequired && values.baseUrl.trim() === "") fields.baseUrl = `Base URL is required for ${spec.label}`;
  for (const setting of spec.settings) {
    if ((values.settings[setting.key]?.trim() ?? "") === "")
      fields[`settings.${setting.key}`] = `${setting.label} is required for ${spec.label}`;
  }
  if (spec.apiKeyRequired && values.apiKey.trim() === "") fields.apiKey = `${spec.apiKeyLabel} is required for ${spec.label}`;
  const badModel = responsesModelNames(values.responsesModels).find((name) => name.length > 200 || /\s/.test(name));
  if (spec.responsesApi !== "never" && badModel !== undefined) {
    fields.responsesModels = `'${badModel}' is not a model name or pattern (no spaces inside a name; separate names with commas)`;
  }
  return fields;
}

function responsesModelNames(list: string): string[] {
  return list
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}
