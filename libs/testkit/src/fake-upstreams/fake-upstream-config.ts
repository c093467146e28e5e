/**
 * Options of a fake upstream and their per-kind defaults (keys, base paths, model lists), resolved once at start.
 */
import type { AwsCredentials } from "@thinkwatch/providers";
import * as v from "valibot";

export const FAKE_UPSTREAM_KINDS = ["openai", "openai_compatible", "azure_openai", "anthropic", "gemini", "bedrock"] as const;
export type FakeUpstreamKind = (typeof FAKE_UPSTREAM_KINDS)[number];

export const FakeUpstreamOptionsSchema = v.strictObject({
  kind: v.picklist(FAKE_UPSTREAM_KINDS),
  /** The key the fake accepts (not used by bedrock). Defaults to `DEFAULT_FAKE_KEYS[kind]`. */
  apiKey: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** Bedrock: the credentials whose SigV4 signatures are accepted. */
  awsCredentials: v.optional(
    v.strictObject({ accessKeyId: v.string(), secretAccessKey: v.string(), sessionToken: v.optional(v.string()) }),
  ),
  /** Bedrock: the region signatures must be scoped to. */
  region: v.optional(v.string()),
  /** openai_compatible: where the OpenAI-style routes live (default `/compat/v1`). */
  basePath: v.optional(v.pipe(v.string(), v.startsWith("/"))),
  /** Listed by the models endpoint; when given, requests for any other model get the provider's 404. */
  models: v.optional(v.array(v.string())),
  /** openai_compatible: also serve the Responses API (as vLLM and some others do). */
  responsesApi: v.optional(v.boolean()),
  /** Keep every request in `requests` (default true; benchmarks turn it off). */
  record: v.optional(v.boolean()),
});
export type FakeUpstreamOptions = v.InferInput<typeof FakeUpstreamOptionsSchema>;

export const DEFAULT_FAKE_KEYS: Record<Exclude<FakeUpstreamKind, "bedrock">, string> = {
  openai: "sk-fake-openai-key-0000",
  openai_compatible: "fake-compatible-key-0000",
  azure_openai: "fake-azure-key-0000",
  anthropic: "sk-ant-fake-anthropic-key-0000",
  gemini: "fake-gemini-key-0000",
};

export const DEFAULT_AWS_CREDENTIALS: AwsCredentials = {
  accessKeyId: "AKIAFAKEBEDROCK00000",
  secretAccessKey: "fake/bedrock/secret/key/0000000000000000",
};

/** What GET /models lists when no `models` option is given (then any model name is accepted). */
export const DEFAULT_MODEL_LISTS: Record<FakeUpstreamKind, readonly string[]> = {
  openai: ["gpt-4o", "gpt-4o-mini", "o3-mini", "text-embedding-3-small"],
  openai_compatible: ["llama-3.1-8b-instruct", "qwen2.5-7b-instruct", "nomic-embed-text"],
  azure_openai: [],
  anthropic: ["claude-sonnet-5-5", "claude-haiku-5-5"],
  gemini: ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-embedding-001"],
  bedrock: [],
};

export interface ResolvedFakeConfig {
  kind: FakeUpstreamKind;
  apiKey: string;
  awsCredentials: AwsCredentials;
  region: string;
  basePath: string;
  listedModels: readonly string[];
  models: readonly string[] | undefined;
  responsesApi: boolean;
  record: boolean;
}

export function resolveFakeConfig(input: FakeUpstreamKind | FakeUpstreamOptions): ResolvedFakeConfig {
  const options = v.parse(FakeUpstreamOptionsSchema, typeof input === "string" ? { kind: input } : input);
  const kind = options.kind;
  return {
    kind,
    apiKey: options.apiKey ?? (kind === "bedrock" ? "" : DEFAULT_FAKE_KEYS[kind]),
    awsCredentials: options.awsCredentials ?? DEFAULT_AWS_CREDENTIALS,
    region: options.region ?? "us-east-1",
    basePath: (options.basePath ?? (kind === "openai_compatible" ? "/compat/v1" : "/v1")).replace(/\/+$/, ""),
    listedModels: options.models ?? DEFAULT_MODEL_LISTS[kind],
    models: options.models,
    responsesApi: kind === "openai" || kind === "azure_openai" || options.responsesApi === true,
    record: options.record ?? true,
  };
}
