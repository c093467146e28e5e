/**
 * Responses reasoning items carry opaque `encrypted_content` that clients send back unchanged. Responses is never an
 * upstream, so the gateway owns that field: it holds the upstream vendor's reasoning token with a prefix naming its
 * kind, which restores a signed Anthropic/Bedrock thinking block or a Gemini thought on the next turn.
 */
import type { ReasoningPart } from "../../canonical/content.js";

const PREFIX = { signature: "tw1.sig.", redacted: "tw1.red.", gemini: "tw1.gem." } as const;

export function reasoningToken(part: ReasoningPart): string | undefined {
  if (part.redactedData !== undefined) return PREFIX.redacted + part.redactedData;
  if (part.signature !== undefined) return PREFIX.signature + part.signature;
  if (part.thoughtSignature !== undefined) return PREFIX.gemini + part.thoughtSignature;
  return undefined;
}

/** Fills the matching field of `part`; tokens the gateway did not issue are ignored (the part stays unsigned). */
export function applyReasoningToken(part: ReasoningPart, token: string | null | undefined): void {
  if (typeof token !== "string") return;
  if (token.startsWith(PREFIX.redacted)) part.redactedData = token.slice(PREFIX.redacted.length);
  else if (token.startsWith(PREFIX.signature)) part.signature = token.slice(PREFIX.signature.length);
  else if (token.startsWith(PREFIX.gemini)) part.thoughtSignature = token.slice(PREFIX.gemini.length);
}
