/**
 * The fakes' deterministic token accounting, so tests can compute expected usage by hand:
 * - a string costs ceil(UTF-8 bytes / 4) tokens (`countFakeTokens`);
 * - input = system + every text part + tool calls (name + arguments) + tool results + 85 per image
 *   + every offered tool (name + description + JSON of its schema);
 * - output = reply text + reasoning + every tool call (name + arguments); reasoning tokens are part of output;
 * - cached / cache-creation tokens are 0 unless a script sets them.
 */
import type { FakeConversation, FakeReply } from "./conversation.js";
import type { FakeUsage } from "./fake-script.js";

export const IMAGE_TOKENS = 85;

export function countFakeTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, "utf8") / 4);
}

export function countInputTokens(conversation: Pick<FakeConversation, "system" | "messages" | "tools">): number {
  let total = countFakeTokens(conversation.system);
  for (const message of conversation.messages) {
    for (const part of message.parts) {
      switch (part.type) {
        case "text":
        case "reasoning":
          total += countFakeTokens(part.text);
          break;
        case "image":
          total += IMAGE_TOKENS;
          break;
        case "tool_call":
          total += countFakeTokens(part.name + part.arguments);
          break;
        case "tool_result":
          total += countFakeTokens(part.content);
          break;
      }
    }
  }
  for (const tool of conversation.tools) {
    total += countFakeTokens(
      tool.name + (tool.description ?? "") + (tool.schema === undefined ? "" : JSON.stringify(tool.schema)),
    );
  }
  return total;
}

export function computeUsage(
  conversation: FakeConversation,
  reply: Pick<FakeReply, "text" | "reasoning" | "toolCalls">,
  override: Partial<FakeUsage> = {},
): FakeUsage {
  const reasoningTokens = countFakeTokens(reply.reasoning ?? "");
  let outputTokens = countFakeTokens(reply.text) + reasoningTokens;
  for (const call of reply.toolCalls) outputTokens += countFakeTokens(call.name + call.arguments);
  return {
    inputTokens: countInputTokens(conversation),
    outputTokens,
    cachedInputTokens: 0,
    cacheCreationInputTokens: 0,
    reasoningTokens,
    ...override,
  };
}
