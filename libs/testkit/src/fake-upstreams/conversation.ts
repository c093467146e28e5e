/**
 * The provider-neutral view of a generation request that every fake protocol parses into, and the reply the
 * scripted model produces. One model, six wire formats: only the parsers and renderers differ per provider.
 */
import type { FakeUsage, FinishReason } from "./fake-script.js";

export type FakePart =
  | { type: "text"; text: string }
  /** Inline images carry their media type and decoded size; linked images their URL. */
  | { type: "image"; mediaType?: string; bytes?: number; url?: string }
  | { type: "tool_call"; id: string; name: string; arguments: string }
  | { type: "tool_result"; toolCallId: string; name?: string; content: string }
  | { type: "reasoning"; text: string };

export interface FakeMessage {
  role: "user" | "assistant" | "tool";
  parts: FakePart[];
}

export interface FakeTool {
  name: string;
  description?: string;
  schema?: unknown;
}

export interface FakeConversation {
  model: string;
  system: string;
  messages: FakeMessage[];
  tools: FakeTool[];
  /** The caller asked for reasoning / thinking output. */
  reasoning: boolean;
  maxOutputTokens?: number;
  stream: boolean;
}

export interface FakeToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface FakeReply {
  text: string;
  reasoning?: string;
  /** Opaque signature over the reasoning (Anthropic / Bedrock thinking blocks need one to be sent back). */
  reasoningSignature?: string;
  toolCalls: FakeToolCall[];
  finishReason: FinishReason;
  usage: FakeUsage;
}
