import { describe, expect, it } from "vitest";
import { buildProviderRequest, emptyProviderForm, missingProviderFields, type ProviderFormValues } from "./provider-request";

function form(patch: Partial<ProviderFormValues>): ProviderFormValues {
  return { ...emptyProviderForm(), ...patch };
}

describe("buildProviderRequest", () => {
  it("leaves out empty optional fields and empty model rows", () => {
    expect(buildProviderRequest(form({ name: "  openai  ", kind: "openai" }))).toEqual({ name: "openai", kind: "openai" });
  });

  it("trims values, including a pasted key's trailing newline", () => {
    const values = form({
      name: "oa",
      kind: "openai",
      baseUrl: " https://proxy.example/v1 ",
      apiKey: "sk-123\n",
      models: [
        { model: " gpt-4o ", upstreamModel: "" },
        { model: "", upstreamModel: "ignored" },
        { model: "fast", upstreamModel: " gpt-4o-mini " },
      ],
    });
    expect(buildProviderRequest(values)).toEqual({
      name: "oa",
      kind: "openai",
      baseUrl: "https://proxy.example/v1",
      apiKey: "sk-123",
      models: [{ model: "gpt-4o" }, { model: "fast", upstreamModel: "gpt-4o-mini" }],
    });
  });

  it("sends only the selected kind's settings", () => {
    // The user typed an Azure api-version, then switched to Bedrock.
    const values = form({
      name: "aws",
      kind: "bedrock",
      apiKey: "secret",
      settings: { apiVersion: "2024-10-21", region: " eu-west-1 ", accessKeyId: "AKIAEXAMPLE" },
    });
    expect(buildProviderRequest(values)).toEqual({
      name: "aws",
      kind: "bedrock",
      apiKey: "secret",
      settings: { region: "eu-west-1", accessKeyId: "AKIAEXAMPLE" },
    });
  });

  it("omits a blank Azure api-version", () => {
    expect(
      buildProviderRequest(
        form({ name: "az", kind: "azure_openai", baseUrl: "https://x.openai.azure.com", settings: { apiVersion: " " } }),
      ),
    ).toEqual({ name: "az", kind: "azure_openai", baseUrl: "https://x.openai.azure.com" });
  });
});

describe("the Responses API settings", () => {
  it("sends responsesApi as a boolean and the Responses-only models as a list for OpenAI-compatible servers", () => {
    const values = form({
      name: "vllm",
      kind: "openai_compatible",
      baseUrl: "http://vllm:8000/v1",
      responsesApi: true,
      responsesModels: " house-codex* , ,house-pro ",
    });
    expect(buildProviderRequest(values)).toEqual({
      name: "vllm",
      kind: "openai_compatible",
      baseUrl: "http://vllm:8000/v1",
      settings: { responsesApi: true, responsesModels: ["house-codex*", "house-pro"] },
    });
  });

  it("sends only the list for OpenAI (which always speaks Responses) and neither for Anthropic", () => {
    const values = form({ name: "x", kind: "openai", responsesApi: true, responsesModels: "ft:pro-*" });
    expect(buildProviderRequest(values)).toEqual({ name: "x", kind: "openai", settings: { responsesModels: ["ft:pro-*"] } });
    expect(buildProviderRequest({ ...values, kind: "anthropic" })).toEqual({ name: "x", kind: "anthropic" });
  });

  it("refuses a model name with a space inside before sending", () => {
    expect(missingProviderFields(form({ name: "x", kind: "openai", responsesModels: "a*, o3 pro" }))).toEqual({
      responsesModels: "'o3 pro' is not a model name or pattern (no spaces inside a name; separate names with commas)",
    });
  });
});

describe("missingProviderFields", () => {
  it("reports every required field of the kind at once", () => {
    expect(missingProviderFields(form({ kind: "bedrock", settings: { region: " " } }))).toEqual({
      name: "name is required",
      "settings.region": "Region is required for AWS Bedrock",
      "settings.accessKeyId": "Access key id is required for AWS Bedrock",
      apiKey: "Secret access key is required for AWS Bedrock",
    });
    expect(missingProviderFields(form({ name: "az", kind: "azure_openai" }))).toEqual({
      baseUrl: "Base URL is required for Azure OpenAI",
      "settings.apiVersion": "API version is required for Azure OpenAI",
    });
  });

  it.each(["openai", "anthropic", "gemini"] as const)("needs only a name for %s", (kind) => {
    expect(missingProviderFields(form({ name: "x", kind }))).toEqual({});
  });

  it("needs a base URL for OpenAI-compatible servers", () => {
    expect(Object.keys(missingProviderFields(form({ name: "x", kind: "openai_compatible" })))).toEqual(["baseUrl"]);
  });
});
