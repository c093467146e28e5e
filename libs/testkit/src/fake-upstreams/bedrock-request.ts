/**
 * Reading a Bedrock Converse / ConverseStream body into the fake's conversation: messages of content blocks
 * (text, image, toolUse, toolResult, reasoningContent), `system`, `inferenceConfig.maxTokens`,
 * `toolConfig.tools[].toolSpec`, and thinking switched on through `additionalModelRequestFields`.
 */
import * as v from "valibot";
import type { FakeConversation, FakePart } from "./conversation.js";
import { imageFromBase64 } from "./image-part.js";
import { parseRequestBody } from "./request-body.js";

const BlockSchema = v.record(v.string(), v.unknown());

const ConverseRequestSchema = v.looseObject({
  messages: v.pipe(
    v.array(v.looseObject({ role: v.picklist(["user", "assistant"]), content: v.array(BlockSchema) })),
    v.minLength(1, "The messages field must contain at least one message."),
  ),
  system: v.optional(v.array(v.looseObject({ text: v.optional(v.string()) }))),
  inferenceConfig: v.optional(v.looseObject({ maxTokens: v.optional(v.number()) })),
  toolConfig: v.optional(
    v.looseObject({
      tools: v.array(
        v.looseObject({
          toolSpec: v.optional(
            v.looseObject({
              name: v.string(),
              description: v.optional(v.string()),
              inputSchema: v.optional(v.looseObject({ json: v.optional(v.unknown()) })),
            }),
          ),
        }),
      ),
    }),
  ),
  additionalModelRequestFields: v.optional(v.record(v.string(), v.unknown())),
});

export function parseConverseRequest(body: unknown, modelId: string, stream: boolean): FakeConversation {
  const request = parseRequestBody(ConverseRequestSchema, body);
  const extra = request.additionalModelRequestFields ?? {};
  const thinking = extra.thinking as { type?: unknown } | undefined;
  const reasoningConfig = extra.reasoning_config as { type?: unknown } | undefined;
  return {
    model: modelId,
    system: (request.system ?? []).flatMap((block) => (block.text === undefined ? [] : [block.text])).join("\n"),
    messages: request.messages.map((message) => ({ role: message.role, parts: message.content.flatMap(toParts) })),
    tools: (request.toolConfig?.tools ?? []).flatMap((tool) =>
      tool.toolSpec === undefined
        ? []
        : [{ name: tool.toolSpec.name, description: tool.toolSpec.description, schema: tool.toolSpec.inputSchema?.json }],
    ),
    reasoning: thinking?.type === "enabled" || thinking?.type === "adaptive" || reasoningConfig?.type === "enabled",
    maxOutputTokens: request.inferenceConfig?.maxTokens,
    stream,
  };
}

function toParts(block: Record<string, unknown>): FakePart[] {
  if (typeof block.text === "string") return [{ type: "text", text: block.text }];
  const image = block.image as { format?: string; source?: { bytes?: string; s3Location?: { uri?: string } } } | undefined;
  if (image !== undefined) {
    if (typeof image.source?.bytes === "string") return [imageFromBase64(`image/${image.format ?? "png"}`, image.source.bytes)];
    return [{ type: "image", mediaType: `image/${image.format ?? "png"}`, url: image.source?.s3Location?.uri }];
  }
  const toolUse = block.toolUse as { toolUseId?: string; name?: string; input?: unknown } | undefined;
  if (toolUse !== undefined) {
    return [
      {
        type: "tool_call",
        id: String(toolUse.toolUseId),
        name: String(toolUse.name),
        arguments: JSON.stringify(toolUse.input ?? {}),
      },
    ];
  }
  const toolResult = block.toolResult as { toolUseId?: string; content?: Record<string, unknown>[] } | undefined;
  if (toolResult !== undefined) {
    const content = (toolResult.content ?? [])
      .map((c) => (typeof c.text === "string" ? c.text : c.json !== undefined ? JSON.stringify(c.json) : ""))
      .join("\n");
    return [{ type: "tool_result", toolCallId: String(toolResult.toolUseId), content }];
  }
  const reasoning = block.reasoningContent as { reasoningText?: { text?: string } } | undefined;
  if (reasoning?.reasoningText?.text !== undefined) return [{ type: "reasoning", text: reasoning.reasoningText.text }];
  return [];
}
