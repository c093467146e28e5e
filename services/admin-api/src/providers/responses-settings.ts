/**
 * The provider settings that steer the OpenAI Responses API (read by ai-proxy's upstream-format choice): checked here
 * because the settings object is otherwise free-form, and a string "true" or a bare model name would be stored and
 * silently ignored by the gateway.
 */
import type { ProviderKind } from "@thinkwatch/proto";

/** Kinds whose upstream can serve the Responses API at all (openai_compatible only when `responsesApi` says so). */
const RESPONSES_KINDS: ReadonlySet<ProviderKind> = new Set(["openai", "azure_openai", "openai_compatible"]);
const MAX_MODELS = 500;
const PATTERN = /^\S{1,200}$/;

/** Problems keyed by field path (`settings.<name>`), empty when the settings are fine. */
export function responsesSettingsProblems(kind: ProviderKind, settings: Record<string, unknown>): Record<string, string> {
  const problems: Record<string, string> = {};
  const { responsesApi, responsesModels, responsesApiVersion } = settings;
  if (responsesApi !== undefined) {
    if (kind !== "openai_compatible") {
      problems["settings.responsesApi"] =
        "only openai_compatible providers take responsesApi (openai and azure_openai always speak the Responses API)";
    } else if (typeof responsesApi !== "boolean") problems["settings.responsesApi"] = "must be true or false";
  }
  if (responsesModels !== undefined) {
    if (!RESPONSES_KINDS.has(kind)) {
      problems["settings.responsesModels"] = `${kind} providers do not serve the Responses API`;
    } else if (!Array.isArray(responsesModels)) {
      problems["settings.responsesModels"] = "must be a list of model names or patterns";
    } else if (responsesModels.length > MAX_MODELS) {
      problems["settings.responsesModels"] = `at most ${MAX_MODELS} model names or patterns`;
    } else {
      const bad = responsesModels.find((p) => typeof p !== "string" || !PATTERN.test(p));
      if (bad !== undefined) {
        problems["settings.responsesModels"] =
          `${JSON.stringify(bad)} is not a model name or pattern (1 to 200 characters without whitespace, * for any run)`;
      }
    }
  }
  if (responsesApiVersion !== undefined) {
    if (kind !== "azure_openai")
      problems["settings.responsesApiVersion"] = "only azure_openai providers take responsesApiVersion";
    else if (typeof responsesApiVersion !== "string" || responsesApiVersion.trim() === "") {
      problems["settings.responsesApiVersion"] = "must be an api-version such as 2025-04-01-preview";
    }
  }
  return problems;
}
