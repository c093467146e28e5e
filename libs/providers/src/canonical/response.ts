/** The canonical non-streamed chat response every upstream format decodes into. */
import type { ReasoningPart, TextPart, ToolCallPart } from "./content.js";
import type { CanonicalUsage } from "./usage.js";

export const FINISH_REASONS = ["stop", "length", "tool_calls", "content_filter", "other"] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];

export type OutputPart = TextPart | ReasoningPart | ToolCallPart;

export interface CanonicalResponse {
  id: string;
  model: string;
  content: OutputPart[];
  finishReason: FinishReason;
  /** The stop sequence that ended generation, when the upstream says which (Anthropic `stop_sequence`). */
  stopSequence?: string;
  usage: CanonicalUsage;
}
