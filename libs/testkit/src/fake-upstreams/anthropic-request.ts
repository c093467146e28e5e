/**
 * Reading an Anthropic Messages request (`POST /v1/messages`, and the same body minus `max_tokens` for
 * `/v1/messages/count_tokens`) into the fake's conversation.
 */
import * as v from "valibot";
import type { FakeConversation, FakeMessage, FakePart } from "./conversation.js";
import { imageFromBase64 } from "./image-part.js";
import { parseRequestBody } from "./request-body.js";

const BlockSchema = v.looseObject({ type: v.string() });
const ContentSchema = v.union([v.string(), v.array(BlockSchema)]);

const CountTokensRequestSchema = v.looseObject({
  model: v.string(),
  // The current API also accepts `system` turns inside messages (Claude Code sends its per-turn instructions so).
  messages: v.array(v.looseObject({ role: v.picklist(["user", "assistant", "system"]), content: ContentSchema })),
  system: v.optional(v.union([v.string(), v.array(v.looseObject({ type: v.string(), text: v.optional(v.string()) }))])),
  tools: v.optional(
    v.array(v.looseObject({ name: v.string(), description: v.optional(v.string()), input_schema: v.optional(v.unknown()) })),
  ),
  thinking: v.optional(v.looseObject({ type: v.string() })),
});

const MessagesRequestSchema = v.looseObject({
  ...CountTokensRequestSchema.entries,
  max_tokens: v.pipe(v.number(), v.integer(), v.minValue(1)),
  stream: v.optional(v.boolean()),
});

export function parseMessagesRequest(body: unknown): FakeConversation {
  const request = parseRequestBody(MessagesRequestSchema, body);
  return { ...toConversation(request), maxOutputTokens: request.max_tokens, stream: request.stream === true };
}

export function parseCountTokensRequest(body: unknown): FakeConversation {
  return toConversation(parseRequestBody(CountTokensRequestSchema, body));
}

function toConversation(request: v.InferOutput<typeof CountTokensRequestSchema>): FakeConversation {
  const systemParts =
    request.system === undefined
      ? []
      : typeof request.system === "string"
        ? [request.system]
        : request.system.map((block) => block.text ?? "");
  const messages: FakeMessage[] = [];
  for (const message of request.messages) {
    const parts = contentParts(message.content);
    if (message.role === "system") systemParts.push(parts.map((part) => (part.type === "text" ? part.text : "")).join(""));
    else messages.push({ role: message.role, parts });
  }
  const system = systemParts.join("\n");
  const thinking = request.thinking?.type;
  return {
    model: request.model,
    system,
    messages,
    tools: (request.tools ?? []).map((t) => ({ name: t.name, description: t.description, schema: t.input_schema })),
    reasoning: thinking === "enabled" || thinking === "adaptive",
    stream: false,
  };
}

function contentParts(content: v.InferOutput<typeof ContentSchema>): FakePart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  const parts: FakePart[] = [];
  for (const block of content as Record<string, unknown>[]) {
    switch (block.type) {
      case "text":
        parts.push({ type: "text", text: String(block.text ?? "") });
        break;
      case "image": {
        const source = (block.source ?? {}) as Record<string, unknown>;
        if (source.type === "base64") parts.push(imageFromBase64(String(source.media_type), String(source.data ?? "")));
        else if (source.type === "url") parts.push({ type: "image", url: String(source.url) });
        break;
      }
      case "tool_use":
        parts.push({
          type: "tool_call",
          id: String(block.id),
          name: String(block.name),
          arguments: JSON.stringify(block.input ?? {}),
        });
        break;
      case "tool_result":
        parts.push({ type: "tool_result", toolCallId: String(block.tool_use_id), content: resultText(block.content) });
        break;
      case "thinking":
        parts.push({ type: "reasoning", text: String(block.thinking ?? "") });
        break;
    }
  }
  return parts;
}

function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .flatMap((block: Record<string, unknown>) => (block.type === "text" && typeof block.text === "string" ? [block.text] : []))
    .join("\n");
}
