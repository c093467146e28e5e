/**
 * Mid-conversation system and developer messages. OpenAI formats keep them as messages in place; Anthropic, Gemini
 * and Bedrock accept system text only up front, so there they stay in place as user text wrapped in a
 * `<system>` tag — the closest equivalent that keeps both the instruction's position and the system prefix stable
 * (moving it into the prefix would change the prompt prefix every turn and defeat upstream prompt caches).
 */
import type { CanonicalMessage, TextPart } from "./content.js";
import type { CanonicalRequest } from "./request.js";

export function hasInstructions(req: CanonicalRequest): boolean {
  return req.messages.some(
    (message) =>
      message.role === "user" && message.content.some((part) => part.type === "text" && part.instruction !== undefined),
  );
}

/** The request with every mid-conversation instruction turned into tagged user text. */
export function inlineInstructions(req: CanonicalRequest): CanonicalRequest {
  if (!hasInstructions(req)) return req;
  const messages: CanonicalMessage[] = req.messages.map((message) => {
    if (message.role !== "user") return message;
    return {
      role: "user",
      content: message.content.map((part) => {
        if (part.type !== "text" || part.instruction === undefined) return part;
        const { instruction, ...text } = part;
        return { ...text, text: `<${instruction}>\n${part.text}\n</${instruction}>` };
      }),
    };
  });
  return { ...req, messages };
}

/** Chat Completions and Responses have no error flag on tool results; the text says so instead. */
export function toolResultText(isError: boolean, text: string[]): string {
  const joined = text.join("\n");
  return isError ? `Error (the tool call failed): ${joined}` : joined;
}

/** A mid-conversation system or developer message, in place, as a flagged part of a user turn. */
export function addInstruction(messages: CanonicalMessage[], role: "system" | "developer", text: string): void {
  const part: TextPart = { type: "text", text, instruction: role };
  const last = messages.at(-1);
  if (last?.role === "user") last.content.push(part);
  else messages.push({ role: "user", content: [part] });
}
