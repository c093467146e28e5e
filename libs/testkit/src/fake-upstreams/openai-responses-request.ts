/**
 * Reading an OpenAI Responses API request (`POST /v1/responses`) into the fake's conversation: `input` as a
 * string or a list of messages, function calls and function call outputs; `instructions` as the system text.
 */
import * as v from "valibot";
import type { FakeConversation, FakeMessage, FakePart } from "./conversation.js";
import { imageFromUrl } from "./image-part.js";
import { parseRequestBody } from "./request-body.js";

const ItemSchema = v.looseObject({ type: v.optional(v.string()), role: v.optional(v.string()) });

export const ResponsesRequestSchema = v.looseObject({
  model: v.string(),
  input: v.union([v.string(), v.array(ItemSchema)]),
  instructions: v.optional(v.nullable(v.string())),
  stream: v.optional(v.nullable(v.boolean())),
  tools: v.optional(v.array(v.looseObject({ type: v.string(), name: v.optional(v.string()) }))),
  max_output_tokens: v.optional(v.nullable(v.number())),
  reasoning: v.optional(
    v.nullable(v.looseObject({ effort: v.optional(v.nullable(v.string())), summary: v.optional(v.nullable(v.string())) })),
  ),
});
export type ResponsesRequest = v.InferOutput<typeof ResponsesRequestSchema>;

export function parseResponsesRequest(body: unknown): { request: ResponsesRequest; conversation: FakeConversation } {
  const request = parseRequestBody(ResponsesRequestSchema, body);
  const system = request.instructions ? [request.instructions] : [];
  const messages: FakeMessage[] = [];
  const items = typeof request.input === "string" ? [{ role: "user", content: request.input }] : request.input;
  for (const item of items as Record<string, unknown>[]) {
    const type = item.type ?? "message";
    if (type === "message") {
      const parts = contentParts(item.content);
      if (item.role === "system" || item.role === "developer") system.push(textOf(parts));
      else messages.push({ role: item.role === "assistant" ? "assistant" : "user", parts });
    } else if (type === "function_call") {
      const part: FakePart = {
        type: "tool_call",
        id: String(item.call_id),
        name: String(item.name),
        arguments: String(item.arguments),
      };
      const last = messages.at(-1);
      // Parallel calls arrive as consecutive items; they belong to one assistant turn.
      if (last?.role === "assistant") last.parts.push(part);
      else messages.push({ role: "assistant", parts: [part] });
    } else if (type === "function_call_output") {
      const content = typeof item.output === "string" ? item.output : textOf(contentParts(item.output));
      messages.push({ role: "tool", parts: [{ type: "tool_result", toolCallId: String(item.call_id), content }] });
    }
  }
  const effort = request.reasoning?.effort;
  return {
    request,
    conversation: {
      model: request.model,
      system: system.join("\n"),
      messages,
      tools: (request.tools ?? []).flatMap((tool) => {
        if (tool.type !== "function" || tool.name === undefined) return [];
        return [{ name: tool.name, description: optionalString(tool.description), schema: tool.parameters }];
      }),
      reasoning: request.reasoning !== undefined && request.reasoning !== null && effort !== "none",
      maxOutputTokens: request.max_output_tokens ?? undefined,
      stream: request.stream === true,
    },
  };
}

function contentParts(content: unknown): FakePart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  if (!Array.isArray(content)) return [];
  const parts: FakePart[] = [];
  for (const part of content as Record<string, unknown>[]) {
    if ((part.type === "input_text" || part.type === "output_text" || part.type === "text") && typeof part.text === "string") {
      parts.push({ type: "text", text: part.text });
    } else if (part.type === "input_image" && typeof part.image_url === "string") {
      parts.push(imageFromUrl(part.image_url));
    }
  }
  return parts;
}

function textOf(parts: FakePart[]): string {
  return parts.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("\n");
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
