/** OpenAI Chat Completions response body ⇄ canonical response. */
import { liftSignatures } from "../../canonical/reasoning-token.js";
import type { CanonicalResponse, OutputPart } from "../../canonical/response.js";
import { emptyUsage } from "../../canonical/usage.js";
import type { EncodeResponseOptions } from "../../encode-options.js";
import { parseUpstreamBody } from "../../upstream-body.js";
import { finishReasonFromOpenAi, finishReasonToOpenAi, usageFromOpenAi, usageToOpenAi } from "./mapping.js";
import { OpenAiChatResponseSchema } from "./schema.js";
import { thinkingBlock } from "./thinking-blocks.js";

export function decodeOpenAiChatResponse(body: unknown): CanonicalResponse {
  const res = parseUpstreamBody(OpenAiChatResponseSchema, body, "the OpenAI-compatible upstream");
  const choice = res.choices[0];
  const content: OutputPart[] = [];
  let finishReason = finishReasonFromOpenAi(choice?.finish_reason);
  if (choice !== undefined) {
    const message = choice.message;
    const reasoning = message.reasoning_content ?? message.reasoning;
    if (typeof reasoning === "string" && reasoning !== "") content.push({ type: "reasoning", text: reasoning });
    if (typeof message.content === "string") {
      if (message.content !== "") content.push({ type: "text", text: message.content });
    } else if (Array.isArray(message.content)) {
      for (const part of message.content) if (typeof part.text === "string") content.push({ type: "text", text: part.text });
    }
    if (typeof message.refusal === "string" && message.refusal !== "") {
      content.push({ type: "text", text: message.refusal });
      finishReason = "content_filter";
    }
    for (const call of message.tool_calls ?? []) {
      const part: OutputPart = { type: "tool_call", id: call.id, name: call.function.name, arguments: call.function.arguments };
      const signature = call.extra_content?.google?.thought_signature;
      if (signature !== undefined) part.thoughtSignature = signature;
      content.push(part);
    }
  }
  return {
    id: res.id ?? "",
    model: res.model ?? "",
    content,
    finishReason,
    usage: res.usage ? usageFromOpenAi(res.usage) : emptyUsage(),
  };
}

export function encodeOpenAiChatResponse(res: CanonicalResponse, opts: EncodeResponseOptions): Record<string, unknown> {
  const text: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  const blocks: Record<string, unknown>[] = [];
  // Tool calls keep Gemini's signature in extra_content; a text's signature needs a carrier block.
  const parts: OutputPart[] = res.content.flatMap((part): OutputPart[] =>
    part.type === "text" ? liftSignatures([part]) : [part],
  );
  for (const part of parts) {
    if (part.type === "text") text.push(part.text);
    else if (part.type === "reasoning") {
      reasoning.push(part.text);
      const block = thinkingBlock(part);
      if (block !== undefined) blocks.push(block);
    } else {
      const call: Record<string, unknown> = {
        id: part.id,
        type: "function",
        function: { name: part.name, arguments: part.arguments },
      };
      // Same place Gemini's own OpenAI layer uses, so clients that echo tool calls back keep the signature.
      if (part.thoughtSignature !== undefined) call.extra_content = { google: { thought_signature: part.thoughtSignature } };
      toolCalls.push(call);
    }
  }
  const message: Record<string, unknown> = { role: "assistant", content: text.length > 0 ? text.join("") : null, refusal: null };
  // `reasoning_content` is the de-facto extension (DeepSeek, vLLM…) for reasoning text in Chat Completions.
  if (reasoning.length > 0) message.reasoning_content = reasoning.join("");
  if (blocks.length > 0) message.thinking_blocks = blocks;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: `chatcmpl-${opts.requestId}`,
    object: "chat.completion",
    created: opts.created ?? Math.floor(Date.now() / 1000),
    model: opts.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonToOpenAi(res.finishReason) }],
    usage: usageToOpenAi(res.usage),
  };
}
