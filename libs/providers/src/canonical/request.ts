/**
 * The canonical chat request every inbound format decodes into and every upstream format encodes from. Only
 * parameters that at least two formats share are modelled; the rest ride in `passthrough` so a same-format
 * re-encode keeps them and a cross-format one consults unmappable.ts.
 */
import type { ApiFormat } from "../formats.js";
import type { CacheControl, CanonicalMessage, SystemBlock } from "./content.js";

export interface CanonicalTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  strict?: boolean;
  cacheControl?: CacheControl;
}

export type ToolChoice = { type: "auto" } | { type: "none" } | { type: "required" } | { type: "tool"; name: string };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };

export const REASONING_EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh", "max"] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export interface ReasoningConfig {
  /** False when the client explicitly switched reasoning off. */
  enabled: boolean;
  effort?: ReasoningEffort;
  budgetTokens?: number;
  /** The client wants reasoning text (thought summaries) back. */
  includeThoughts?: boolean;
  /** Anthropic `thinking: {type: "adaptive"}`: the model decides how much to think. */
  adaptive?: boolean;
}

export interface CanonicalRequest {
  model: string;
  system: SystemBlock[];
  messages: CanonicalMessage[];
  tools: CanonicalTool[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  frequencyPenalty?: number;
  presencePenalty?: number;
  seed?: number;
  responseFormat?: ResponseFormat;
  reasoning?: ReasoningConfig;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`: the client wants the final usage chunk. */
  includeUsage: boolean;
  /** End-user id (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  /** `user` came from Anthropic `metadata.user_id`, which agents fill with device and session ids. */
  userFromMetadata?: boolean;
  metadata?: Record<string, string>;
  /** Provider-defined tools (web search, code execution…) in their source format's own shape. */
  nativeTools?: { format: ApiFormat; tools: unknown[] };
  /** Top-level fields of the source body that the canonical form does not model, keyed by their wire name. */
  passthrough?: { format: ApiFormat; fields: Record<string, unknown> };
}
