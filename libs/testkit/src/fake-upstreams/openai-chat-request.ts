/**
 * Reading an OpenAI Chat Completions request body (also Azure's and OpenAI-compatible servers') into the
 * fake's conversation. Only the fields the fake model uses are checked; others pass through unread.
 */
import { AppError } from "@thinkwatch/errors";
import * as v from "valibot";
import type { FakeConversation, FakeMessage, FakePart } from "./conversation.js";
import { imageFromUrl } from "./image-part.js";
import { parseRequestBody } from "./request-body.js";

const ContentSchema = v.union([v.string(), v.array(v.looseObject({ type: v.string() }))]);

const ToolCallSchema = v.looseObject({
  id: v.string(),
  type: v.optional(v.string()),
  function: v.looseObject({ name: v.string(), arguments: v.string() }),
});

const MessageSchema = v.variant("role", [
  v.looseObject({ role: v.picklist(["system", "developer"]), content: ContentSchema }),
  v.looseObject({ role: v.literal("user"), content: ContentSchema }),
  v.looseObject({
    role: v.literal("assistant"),
    content: v.optional(v.nullable(ContentSchema)),
    tool_calls: v.optional(v.nullable(v.array(ToolCallSchema))),
  }),
  v.looseObject({ role: v.literal("tool"), tool_call_id: v.string(), content: ContentSchema }),
]);

export const ChatRequestSchema = v.looseObject({
  model: v.optional(v.string()),
  messages: v.pipe(v.array(MessageSchema), v.minLength(1, "messages must not be empty")),
  stream: v.optional(v.nullable(v.boolean())),
  stream_options: v.optional(v.nullable(v.looseObject({ include_usage: v.optional(v.nullable(v.boolean())) }))),
  tools: v.optional(
    v.nullable(
      v.array(
        v.looseObject({
          type: v.literal("function"),
          function: v.looseObject({ name: v.string(), description: v.optional(v.string()), parameters: v.optional(v.unknown()) }),
        }),
      ),
    ),
  ),
  max_tokens: v.optional(v.nullable(v.number())),
  max_completion_tokens: v.optional(v.nullable(v.number())),
  reasoning_effort: v.optional(v.nullable(v.string())),
});
export type ChatRequest = v.InferOutput<typeof ChatRequestSchema>;

/** `modelOverride` is Azure's deployment name, which the URL carries instead of the body. */
export function parseChatRequest(
  body: unknown,
  modelOverride?: string,
): { request: ChatRequest; conversation: FakeConversation } {
  const request = parseRequestBody(ChatRequestSchema, body);
  const model = modelOverride ?? request.model;
  if (model === undefined) throw new AppError("bad_request", "you must provide a model parameter");
  const system: string[] = [];
  const messages: FakeMessage[] = [];
  for (const message of request.messages) {
    switch (message.role) {
      case "system":
      case "developer":
        system.push(textOf(message.content));
        break;
      case "user":
        messages.push({ role: "user", parts: contentParts(message.content) });
        break;
      case "assistant": {
        const parts = message.content === undefined || message.content === null ? [] : contentParts(message.content);
        for (const call of message.tool_calls ?? []) {
          parts.push({ type: "tool_call", id: call.id, name: call.function.name, arguments: call.function.arguments });
        }
        messages.push({ role: "assistant", parts });
        break;
      }
      case "tool":
        messages.push({
          role: "tool",
          parts: [{ type: "tool_result", toolCallId: message.tool_call_id, content: textOf(message.content) }],
        });
        break;
    }
  }
  const effort = request.reasoning_effort;
  return {
    request,
    conversation: {
      model,
      system: system.join("\n"),
      messages,
      tools: (request.tools ?? []).map((t) => ({
        name: t.function.name,
        description: t.function.description,
        schema: t.function.parameters,
      })),
      reasoning: effort !== undefined && effort !== null && effort !== "none",
      maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
      stream: request.stream === true,
    },
  };
}

type Content = v.InferOutput<typeof ContentSchema>;

function contentParts(content: Content): FakePart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  const parts: FakePart[] = [];
  for (const part of content) {
    if (part.type === "text" && typeof part.text === "string") parts.push({ type: "text", text: part.text });
    else if (part.type === "image_url") {
      const image = part.image_url as { url?: unknown } | undefined;
      if (typeof image?.url === "string") parts.push(imageFromUrl(image.url));
    }
  }
  return parts;
}

function textOf(content: Content): string {
  return contentParts(content)
    .flatMap((p) => (p.type === "text" ? [p.text] : []))
    .join("\n");
}
