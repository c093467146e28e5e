/**
 * Canonical message content: the union of what the five formats can say inside a conversation. Each vendor's opaque
 * token keeps its own field (Anthropic/Bedrock `signature`, Gemini `thoughtSignature`) so it only goes back to the
 * vendor that issued it.
 */
import type { ApiFormat } from "../formats.js";

/** Anthropic-style prompt-cache breakpoint; Bedrock expresses the same thing as a `cachePoint` block. */
export interface CacheControl {
  type: "ephemeral";
  ttl?: string;
}

/** Binary input: a URL the provider fetches, or inline base64 bytes with their media type. */
export type MediaSource = { kind: "url"; url: string; mediaType?: string } | { kind: "base64"; mediaType: string; data: string };

export interface TextPart {
  type: "text";
  text: string;
  /**
   * The text of a system or developer message that came in the middle of the conversation (user turns only). OpenAI
   * formats keep it as that message in place; others get it in place as user text (see canonical/instructions.ts).
   */
  instruction?: "system" | "developer";
  cacheControl?: CacheControl;
  /** Gemini thought signature attached to a text part. */
  thoughtSignature?: string;
}

export interface ImagePart {
  type: "image";
  source: MediaSource;
  detail?: "auto" | "low" | "high";
  cacheControl?: CacheControl;
}

/** A document or audio clip (PDF, plain text, wav…). */
export interface FilePart {
  type: "file";
  source: MediaSource;
  filename?: string;
  cacheControl?: CacheControl;
}

export interface ToolCallPart {
  type: "tool_call";
  id: string;
  name: string;
  /** JSON text exactly as the model produced it; kept as text so nothing is lost or re-serialised. */
  arguments: string;
  /** Gemini thought signature; Gemini 3 rejects function calls sent back without it. */
  thoughtSignature?: string;
  cacheControl?: CacheControl;
}

export interface ToolResultPart {
  type: "tool_result";
  toolCallId: string;
  /** The function name when the source format carries it (Gemini needs it on the way back). */
  name?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
  cacheControl?: CacheControl;
}

export interface ReasoningPart {
  type: "reasoning";
  text: string;
  /** Anthropic / Bedrock thinking signature. */
  signature?: string;
  /** Anthropic `redacted_thinking` data / Bedrock `redactedContent`: encrypted reasoning with no readable text. */
  redactedData?: string;
  /** Gemini thought signature of a thought part. */
  thoughtSignature?: string;
  /** OpenAI Responses `encrypted_content` (reasoning kept by the client because the upstream stores nothing). */
  encryptedContent?: string;
  /**
   * Set on an empty carrier part whose Gemini signature belongs to the next tool call or text part, for client
   * formats that have no signature slot there (see reasoning-token.ts).
   */
  carries?: "tool_call" | "text";
}

/**
 * Something only its own format understands (an Anthropic server-tool result, a Gemini code-execution part…). Kept
 * verbatim so a same-format re-encode is lossless; other formats drop it (see unmappable.ts).
 */
export interface NativePart {
  type: "native";
  format: ApiFormat;
  raw: unknown;
  /** The unmappable.ts row that decides its fate in other formats; "native_content" when absent. */
  param?: string;
}

export type UserPart = TextPart | ImagePart | FilePart | ToolResultPart | NativePart;
export type AssistantPart = TextPart | ReasoningPart | ToolCallPart | NativePart;

export type CanonicalMessage = { role: "user"; content: UserPart[] } | { role: "assistant"; content: AssistantPart[] };

export interface SystemBlock {
  text: string;
  cacheControl?: CacheControl;
}
