/**
 * The fake "model" shared by every provider kind. Default behaviour (no script):
 * - after tool results: `tool <name> returned: <content>`, one line per result;
 * - when the request offers tools and the last user text says `use tool <name> with <json>`: those tool calls;
 * - otherwise `echo: <last user text>`, plus a line per image seen (`saw image: image/png, 68 bytes` or
 *   `saw image: <url>`), cut to max output tokens (finish reason `length`) when the request sets a limit;
 * - when the request asks for reasoning: reasoning text `thinking about: <last user text>`.
 * A script step replaces any of these; scripted text / tool calls are taken literally (no truncation).
 */
import { createHash } from "node:crypto";
import type { FakeConversation, FakeMessage, FakePart, FakeReply, FakeToolCall } from "./conversation.js";
import type { ParsedFakeScript } from "./fake-script.js";
import { findToolMarkers } from "./tool-marker.js";
import { computeUsage, countFakeTokens } from "./usage-rule.js";

export function planReply(
  conversation: FakeConversation,
  step: ParsedFakeScript | undefined,
  newToolCallId: () => string,
): FakeReply {
  const turn = lastTurn(conversation.messages);
  const userText = turn.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("\n");
  const results = turn.flatMap((p) => (p.type === "tool_result" ? [p] : []));

  let text = "";
  let toolCalls: FakeToolCall[] = [];
  let finishReason = step?.finishReason;
  if (step?.text !== undefined || step?.toolCalls !== undefined) {
    text = step.text ?? "";
    toolCalls = (step.toolCalls ?? []).map((call) => ({
      id: call.id ?? newToolCallId(),
      name: call.name,
      arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
    }));
  } else if (results.length > 0) {
    text = results
      .map((r) => `tool ${r.name ?? toolNameOf(conversation.messages, r.toolCallId) ?? r.toolCallId} returned: ${r.content}`)
      .join("\n");
  } else {
    const markers = findToolMarkers(
      userText,
      conversation.tools.map((t) => t.name),
    );
    if (markers.length > 0) {
      toolCalls = markers.map((m) => ({ id: newToolCallId(), name: m.name, arguments: m.arguments }));
    } else {
      text = [`echo: ${userText}`, ...turn.flatMap((p) => (p.type === "image" ? [describeImage(p)] : []))].join("\n");
      const limit = conversation.maxOutputTokens;
      if (finishReason === undefined && limit !== undefined && countFakeTokens(text) > limit) {
        text = truncateToTokens(text, limit);
        finishReason = "length";
      }
    }
  }

  const reasoning = step?.reasoning ?? (conversation.reasoning ? `thinking about: ${userText || "the tool results"}` : undefined);
  const reply = { text, reasoning, toolCalls };
  return {
    ...reply,
    reasoningSignature: reasoning === undefined ? undefined : fakeReasoningSignature(reasoning),
    finishReason: finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
    usage: computeUsage(conversation, reply, step?.usage),
  };
}

/** The parts after the last assistant message: the turn the model is answering. */
function lastTurn(messages: FakeMessage[]): FakePart[] {
  const parts: FakePart[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as FakeMessage;
    if (message.role === "assistant") break;
    parts.unshift(...message.parts);
  }
  return parts;
}

function toolNameOf(messages: FakeMessage[], toolCallId: string): string | undefined {
  for (const message of messages) {
    for (const part of message.parts) if (part.type === "tool_call" && part.id === toolCallId) return part.name;
  }
  return undefined;
}

function describeImage(image: Extract<FakePart, { type: "image" }>): string {
  if (image.url !== undefined) return `saw image: ${image.url}`;
  return `saw image: ${image.mediaType ?? "unknown type"}, ${image.bytes ?? 0} bytes`;
}

function truncateToTokens(text: string, tokens: number): string {
  let budget = tokens * 4;
  let end = 0;
  for (const ch of text) {
    budget -= Buffer.byteLength(ch, "utf8");
    if (budget < 0) break;
    end += ch.length;
  }
  return text.slice(0, end);
}

/** The signature (Anthropic, Bedrock), thought signature (Gemini) or encrypted content (OpenAI) a fake puts on its reasoning. */
export function fakeReasoningSignature(reasoning: string): string {
  return createHash("sha256").update(`fake-reasoning-signature:${reasoning}`).digest("base64");
}
