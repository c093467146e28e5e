/**
 * Signed reasoning for Chat Completions clients. The format has no field for it, so the gateway uses the extension
 * other gateways use: `thinking_blocks` on the assistant message (`{type: "thinking", thinking, signature}` or
 * `{type: "redacted_thinking", data}`), which clients send back with the message on the next turn. Anthropic's
 * signatures go as they are; every other vendor's token is prefixed (reasoning-token.ts).
 */
import * as v from "valibot";
import type { ReasoningPart } from "../../canonical/content.js";
import { applyReasoningToken, reasoningToken } from "../../canonical/reasoning-token.js";

export const ThinkingBlocksSchema = v.array(
  v.variant("type", [
    v.looseObject({ type: v.literal("thinking"), thinking: v.optional(v.string(), ""), signature: v.nullish(v.string()) }),
    v.looseObject({ type: v.literal("redacted_thinking"), data: v.string() }),
  ]),
);
export type ThinkingBlocks = v.InferOutput<typeof ThinkingBlocksSchema>;

/** The block of one reasoning part, or undefined when it carries nothing to send back (plain reasoning text). */
export function thinkingBlock(part: ReasoningPart): Record<string, unknown> | undefined {
  if (part.redactedData !== undefined) return { type: "redacted_thinking", data: part.redactedData };
  const signature = part.signature ?? reasoningToken(part);
  return signature === undefined ? undefined : { type: "thinking", thinking: part.text, signature };
}

export function decodeThinkingBlocks(blocks: ThinkingBlocks): ReasoningPart[] {
  return blocks.map((block) => {
    if (block.type === "redacted_thinking") return { type: "reasoning", text: "", redactedData: block.data };
    const part: ReasoningPart = { type: "reasoning", text: block.thinking };
    if (typeof block.signature === "string" && !applyReasoningToken(part, block.signature)) part.signature = block.signature;
    return part;
  });
}
