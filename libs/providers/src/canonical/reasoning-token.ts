/**
 * Vendor reasoning tokens carried through a client format that has no field of that vendor. Each client format has
 * one opaque slot its clients send back unchanged (Anthropic `thinking.signature`, Gemini `thoughtSignature`,
 * Responses `encrypted_content`, the Chat Completions `thinking_blocks[].signature` extension); the gateway puts the
 * upstream vendor's token there with a prefix naming its kind, and restores the vendor field on the next turn. A
 * token without a prefix is the slot's own vendor's and stays where it is.
 */
import type { AssistantPart, ReasoningPart } from "./content.js";

const PREFIX = {
  signature: "tw1.sig.",
  redacted: "tw1.red.",
  gemini: "tw1.gem.",
  openai: "tw1.oai.",
  /** A Gemini signature that belongs on the function call right after this reasoning part. */
  geminiCall: "tw1.gfc.",
  /** A Gemini signature that belongs on the text part right after this reasoning part. */
  geminiText: "tw1.gtx.",
} as const;

/** A reasoning part's vendor field as a prefixed token (callers keep their own format's field unprefixed). */
export function reasoningToken(part: ReasoningPart): string | undefined {
  if (part.redactedData !== undefined) return PREFIX.redacted + part.redactedData;
  if (part.signature !== undefined) return PREFIX.signature + part.signature;
  if (part.encryptedContent !== undefined) return PREFIX.openai + part.encryptedContent;
  if (part.thoughtSignature !== undefined) {
    if (part.carries === "tool_call") return PREFIX.geminiCall + part.thoughtSignature;
    if (part.carries === "text") return PREFIX.geminiText + part.thoughtSignature;
    return PREFIX.gemini + part.thoughtSignature;
  }
  return undefined;
}

export function isReasoningToken(token: string): boolean {
  return token.startsWith("tw1.");
}

/**
 * Fills the vendor field a prefixed token names; returns false for a token the gateway did not issue (the caller
 * treats it as its own format's native value).
 */
export function applyReasoningToken(part: ReasoningPart, token: string | null | undefined): boolean {
  if (typeof token !== "string" || !isReasoningToken(token)) return false;
  const cut = (prefix: string) => token.slice(prefix.length);
  if (token.startsWith(PREFIX.redacted)) part.redactedData = cut(PREFIX.redacted);
  else if (token.startsWith(PREFIX.signature)) part.signature = cut(PREFIX.signature);
  else if (token.startsWith(PREFIX.openai)) part.encryptedContent = cut(PREFIX.openai);
  else if (token.startsWith(PREFIX.gemini)) part.thoughtSignature = cut(PREFIX.gemini);
  else if (token.startsWith(PREFIX.geminiCall)) {
    part.thoughtSignature = cut(PREFIX.geminiCall);
    part.carries = "tool_call";
  } else if (token.startsWith(PREFIX.geminiText)) {
    part.thoughtSignature = cut(PREFIX.geminiText);
    part.carries = "text";
  } else return false;
  return true;
}

/**
 * For client formats whose tool calls and text have no signature slot: a Gemini signature moves to an empty
 * reasoning part right before its tool call, or right after its text (in streams the signature of a text arrives at
 * its end); `carries` says which neighbour it goes back to.
 */
export function liftSignatures<T extends AssistantPart>(parts: readonly T[]): Array<T | ReasoningPart> {
  if (!parts.some((part) => (part.type === "tool_call" || part.type === "text") && part.thoughtSignature !== undefined))
    return [...parts];
  const out: Array<T | ReasoningPart> = [];
  for (const part of parts) {
    if ((part.type === "tool_call" || part.type === "text") && part.thoughtSignature !== undefined) {
      const { thoughtSignature, ...rest } = part;
      const carrier: ReasoningPart = { type: "reasoning", text: "", thoughtSignature, carries: part.type };
      if (part.type === "tool_call") out.push(carrier, rest as T);
      else out.push(rest as T, carrier);
    } else out.push(part);
  }
  return out;
}

/** The inverse of liftSignatures on a decoded assistant message: carrier parts hand their signature on and vanish. */
export function lowerSignatures(parts: AssistantPart[]): AssistantPart[] {
  if (!parts.some((part) => part.type === "reasoning" && part.carries !== undefined)) return parts;
  const out: AssistantPart[] = [];
  let pending: string | undefined;
  for (const part of parts) {
    if (part.type === "reasoning" && part.carries !== undefined && part.thoughtSignature !== undefined) {
      if (part.carries === "tool_call") pending = part.thoughtSignature;
      else {
        const at = out.findLastIndex((earlier) => earlier.type === "text");
        const text = out[at];
        // A text signature with no text before it (Gemini sends empty signed parts) becomes an empty signed text.
        if (text?.type === "text") out[at] = { ...text, thoughtSignature: part.thoughtSignature };
        else out.push({ type: "text", text: "", thoughtSignature: part.thoughtSignature });
      }
      continue;
    }
    if (pending !== undefined && part.type === "tool_call") {
      out.push({ ...part, thoughtSignature: pending });
      pending = undefined;
    } else out.push(part);
  }
  return out;
}

/** The fields of a stream's reasoning delta that are foreign to a client format, as one prefixed token. */
export function foreignDeltaToken(fields: {
  signature?: string | undefined;
  redactedData?: string | undefined;
  encryptedContent?: string | undefined;
  thoughtSignature?: string | undefined;
  carries?: "tool_call" | "text" | undefined;
}): string | undefined {
  const part: ReasoningPart = { type: "reasoning", text: "" };
  if (fields.redactedData !== undefined) part.redactedData = fields.redactedData;
  if (fields.signature !== undefined) part.signature = fields.signature;
  if (fields.encryptedContent !== undefined) part.encryptedContent = fields.encryptedContent;
  if (fields.thoughtSignature !== undefined) part.thoughtSignature = fields.thoughtSignature;
  if (fields.carries !== undefined) part.carries = fields.carries;
  return reasoningToken(part);
}

/** A reasoning part's vendor fields as the optional fields of a stream reasoning delta. */
export function reasoningFields(part: ReasoningPart): {
  signature?: string;
  redactedData?: string;
  encryptedContent?: string;
  thoughtSignature?: string;
  carries?: "tool_call" | "text";
} {
  const out: ReturnType<typeof reasoningFields> = {};
  if (part.signature !== undefined) out.signature = part.signature;
  if (part.redactedData !== undefined) out.redactedData = part.redactedData;
  if (part.encryptedContent !== undefined) out.encryptedContent = part.encryptedContent;
  if (part.thoughtSignature !== undefined) out.thoughtSignature = part.thoughtSignature;
  if (part.carries !== undefined) out.carries = part.carries;
  return out;
}
