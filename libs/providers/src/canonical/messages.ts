/** Message-list helpers shared by encoders whose wire formats want strictly alternating roles. */
import type { AssistantPart, CanonicalMessage, UserPart } from "./content.js";

/** Merges runs of same-role messages (OpenAI sends one `tool` message per result; Anthropic wants them in one turn). */
export function mergeConsecutiveRoles(messages: CanonicalMessage[]): CanonicalMessage[] {
  const out: CanonicalMessage[] = [];
  for (const message of messages) {
    const last = out[out.length - 1];
    if (last !== undefined && last.role === message.role) {
      if (last.role === "user") last.content = [...last.content, ...(message.content as UserPart[])];
      else last.content = [...last.content, ...(message.content as AssistantPart[])];
    } else {
      out.push(
        message.role === "user"
          ? { role: "user", content: [...message.content] }
          : { role: "assistant", content: [...message.content] },
      );
    }
  }
  return out;
}

/** Tool-call id → function name over the whole conversation (Gemini function responses are matched by name). */
export function toolNamesById(messages: CanonicalMessage[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== "assistant") continue;
    for (const part of message.content) if (part.type === "tool_call") names.set(part.id, part.name);
  }
  return names;
}

/** Tool results first: Anthropic and Bedrock require a user turn's tool results to precede its other content. */
export function toolResultsFirst(content: UserPart[]): UserPart[] {
  const results = content.filter((part) => part.type === "tool_result");
  if (results.length === 0 || results.length === content.length) return content;
  return [...results, ...content.filter((part) => part.type !== "tool_result")];
}

/**
 * True when the last assistant turn calls tools but carries no signed (or redacted) reasoning. Anthropic and Claude
 * on Bedrock refuse such a history while thinking is on, so encoders switch thinking off for it.
 */
export function lastToolTurnIsUnsigned(messages: CanonicalMessage[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== "assistant") continue;
    if (!message.content.some((part) => part.type === "tool_call")) return false;
    return !message.content.some(
      (part) => part.type === "reasoning" && (part.signature !== undefined || part.redactedData !== undefined),
    );
  }
  return false;
}
