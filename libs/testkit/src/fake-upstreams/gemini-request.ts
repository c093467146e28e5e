/**
 * Reading a Gemini API (AI Studio) `generateContent` / `streamGenerateContent` / `countTokens` body into the
 * fake's conversation: `contents` with text, inline data, file data, function calls and responses, plus
 * `systemInstruction`, `tools[].functionDeclarations` and `generationConfig`.
 */
import * as v from "valibot";
import type { FakeConversation, FakeMessage, FakePart, FakeTool } from "./conversation.js";
import { imageFromBase64 } from "./image-part.js";
import { parseRequestBody } from "./request-body.js";

const PartSchema = v.looseObject({
  text: v.optional(v.string()),
  thought: v.optional(v.boolean()),
  inlineData: v.optional(v.looseObject({ mimeType: v.string(), data: v.string() })),
  fileData: v.optional(v.looseObject({ mimeType: v.optional(v.string()), fileUri: v.string() })),
  functionCall: v.optional(v.looseObject({ name: v.string(), args: v.optional(v.unknown()), id: v.optional(v.string()) })),
  functionResponse: v.optional(
    v.looseObject({ name: v.string(), response: v.optional(v.unknown()), id: v.optional(v.string()) }),
  ),
});
type Part = v.InferOutput<typeof PartSchema>;

const ContentSchema = v.looseObject({ role: v.optional(v.string()), parts: v.array(PartSchema) });

const FunctionDeclarationSchema = v.looseObject({
  name: v.string(),
  description: v.optional(v.string()),
  parameters: v.optional(v.unknown()),
  parametersJsonSchema: v.optional(v.unknown()),
});

export const GenerateContentRequestSchema = v.looseObject({
  contents: v.pipe(v.array(ContentSchema), v.minLength(1, "contents is not specified")),
  systemInstruction: v.optional(v.looseObject({ parts: v.array(PartSchema) })),
  tools: v.optional(v.array(v.looseObject({ functionDeclarations: v.optional(v.array(FunctionDeclarationSchema)) }))),
  generationConfig: v.optional(
    v.looseObject({
      maxOutputTokens: v.optional(v.number()),
      thinkingConfig: v.optional(
        v.looseObject({ includeThoughts: v.optional(v.boolean()), thinkingBudget: v.optional(v.number()) }),
      ),
    }),
  ),
});

const CountTokensRequestSchema = v.union([
  v.looseObject({ generateContentRequest: GenerateContentRequestSchema }),
  v.looseObject({ contents: v.array(ContentSchema) }),
]);

export function parseGenerateContentRequest(body: unknown, model: string, stream: boolean): FakeConversation {
  const request = parseRequestBody(GenerateContentRequestSchema, body);
  const tools: FakeTool[] = (request.tools ?? []).flatMap((tool) =>
    (tool.functionDeclarations ?? []).map((f) => ({
      name: f.name,
      description: f.description,
      schema: f.parameters ?? f.parametersJsonSchema,
    })),
  );
  return {
    model,
    system: (request.systemInstruction?.parts ?? []).map((p) => p.text ?? "").join("\n"),
    messages: request.contents.map(toMessage),
    tools,
    reasoning: request.generationConfig?.thinkingConfig?.includeThoughts === true,
    maxOutputTokens: request.generationConfig?.maxOutputTokens,
    stream,
  };
}

export function parseCountTokensRequest(body: unknown, model: string): FakeConversation {
  const request = parseRequestBody(CountTokensRequestSchema, body);
  if ("generateContentRequest" in request) return parseGenerateContentRequest(request.generateContentRequest, model, false);
  return { model, system: "", messages: request.contents.map(toMessage), tools: [], reasoning: false, stream: false };
}

function toMessage(content: v.InferOutput<typeof ContentSchema>): FakeMessage {
  return { role: content.role === "model" ? "assistant" : "user", parts: content.parts.flatMap(toParts) };
}

function toParts(part: Part): FakePart[] {
  if (part.text !== undefined) return [part.thought ? { type: "reasoning", text: part.text } : { type: "text", text: part.text }];
  if (part.inlineData !== undefined) return [imageFromBase64(part.inlineData.mimeType, part.inlineData.data)];
  if (part.fileData !== undefined) return [{ type: "image", mediaType: part.fileData.mimeType, url: part.fileData.fileUri }];
  if (part.functionCall !== undefined) {
    const call = part.functionCall;
    return [{ type: "tool_call", id: call.id ?? call.name, name: call.name, arguments: JSON.stringify(call.args ?? {}) }];
  }
  if (part.functionResponse !== undefined) {
    const response = part.functionResponse;
    return [
      {
        type: "tool_result",
        toolCallId: response.id ?? response.name,
        name: response.name,
        content: functionResponseText(response.response),
      },
    ];
  }
  return [];
}

/**
 * What a model "reads" from a functionResponse: Google documents `output` (and `error`) as the keys for a
 * function's result, so a response holding just one of those as a string is that string; anything else is JSON.
 */
function functionResponseText(response: unknown): string {
  if (typeof response === "object" && response !== null) {
    const entries = Object.entries(response);
    const [only] = entries;
    if (
      entries.length === 1 &&
      only !== undefined &&
      (only[0] === "output" || only[0] === "error") &&
      typeof only[1] === "string"
    )
      return only[1];
  }
  return JSON.stringify(response ?? {});
}
