/**
 * Gemini generateContent request → canonical request, validating it first. The model and the stream flag come from
 * the URL (`models/{model}:generateContent` / `:streamGenerateContent`). Gemini function calls rarely carry ids, so
 * calls get positional ids and each function response is matched to the oldest open call of the same name.
 */
import { AppError } from "@thinkwatch/errors";
import type { AssistantPart, CanonicalMessage, MediaSource, ReasoningPart, TextPart, UserPart } from "../../canonical/content.js";
import { applyReasoningToken } from "../../canonical/reasoning-token.js";
import { type CanonicalRequest, REASONING_EFFORTS, type ReasoningConfig, type ReasoningEffort } from "../../canonical/request.js";
import { collectNested } from "../../passthrough.js";
import { unknownFields } from "../../upstream-body.js";
import { parseRequestBody } from "../../validation.js";
import { type GeminiPart, type GeminiRequest, GeminiRequestSchema } from "./schema.js";
import { openApiToJsonSchema } from "./schema-convert.js";

const KNOWN = new Set(["contents", "systemInstruction", "tools", "toolConfig", "generationConfig", "model"]);
const KNOWN_GENERATION = new Set([
  "maxOutputTokens",
  "temperature",
  "topP",
  "topK",
  "stopSequences",
  "presencePenalty",
  "frequencyPenalty",
  "seed",
  "responseMimeType",
  "responseSchema",
  "responseJsonSchema",
  "thinkingConfig",
]);

export interface GeminiDecodeOptions {
  /** The model from the URL path. */
  model: string;
  /** True for `:streamGenerateContent`. */
  stream: boolean;
}

export function decodeGeminiRequest(body: unknown, opts: GeminiDecodeOptions): CanonicalRequest {
  if (opts.model === "") throw new AppError("validation_failed", "invalid request: the model in the URL must not be empty");
  const req = parseRequestBody(GeminiRequestSchema, body);
  const out: CanonicalRequest = {
    model: opts.model,
    system: (req.systemInstruction?.parts ?? []).flatMap((part) => (typeof part.text === "string" ? [{ text: part.text }] : [])),
    messages: decodeContents(req.contents),
    tools: [],
    stream: opts.stream,
    includeUsage: true,
  };
  const passthrough = unknownFields(req, KNOWN) ?? {};
  decodeTools(req, out, passthrough);
  decodeGenerationConfig(req.generationConfig, out);
  collectNested(passthrough, "generationConfig", req.generationConfig, KNOWN_GENERATION);
  if (Object.keys(passthrough).length > 0) out.passthrough = { format: "gemini", fields: passthrough };
  return out;
}

function decodeContents(contents: GeminiRequest["contents"]): CanonicalMessage[] {
  const open = new Map<string, string[]>();
  let counter = 0;
  const messages: CanonicalMessage[] = [];
  for (const content of contents) {
    if (content.role === "model") {
      const parts: AssistantPart[] = [];
      for (const part of content.parts) {
        const decoded = decodeModelPart(part, () => `call_${counter++}`);
        if (decoded === undefined) continue;
        if (decoded.type === "tool_call") open.set(decoded.name, [...(open.get(decoded.name) ?? []), decoded.id]);
        const previous = parts.at(-1);
        // Streamed thoughts arrive as many parts, the signature on the last: one reasoning block, as it was produced.
        if (decoded.type === "reasoning" && previous?.type === "reasoning" && unsigned(previous)) {
          parts[parts.length - 1] = { ...decoded, text: previous.text + decoded.text };
          continue;
        }
        parts.push(decoded);
      }
      messages.push({ role: "assistant", content: parts });
    } else {
      const parts: UserPart[] = content.parts.map((part) => {
        if (part.functionResponse === undefined) return decodeUserPart(part);
        const { name, id, response } = part.functionResponse;
        const pending = open.get(name) ?? [];
        const callId = id ?? pending.shift() ?? `call_${counter++}`;
        if (id !== undefined)
          open.set(
            name,
            pending.filter((openId) => openId !== id),
          );
        return functionResponsePart(callId, name, response ?? {});
      });
      messages.push({ role: "user", content: parts });
    }
  }
  return messages;
}

/** `{output: "…"}` and `{error: "…"}` (the SDKs' wrapping of plain values) become text; anything else is JSON. */
export function functionResponsePart(toolCallId: string, name: string, response: Record<string, unknown>): UserPart {
  const keys = Object.keys(response);
  const single = keys.length === 1 ? keys[0] : undefined;
  const isError = single === "error";
  const value = single === "output" || isError ? response[single as string] : response;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const part: UserPart = { type: "tool_result", toolCallId, name, content: [{ type: "text", text }] };
  if (isError) part.isError = true;
  return part;
}

function mediaSource(part: GeminiPart): MediaSource | undefined {
  if (part.inlineData) return { kind: "base64", mediaType: part.inlineData.mimeType, data: part.inlineData.data };
  if (part.fileData) {
    const source: MediaSource = { kind: "url", url: part.fileData.fileUri };
    if (part.fileData.mimeType !== undefined) source.mediaType = part.fileData.mimeType;
    return source;
  }
  return undefined;
}

function decodeUserPart(part: GeminiPart): UserPart {
  if (typeof part.text === "string") return { type: "text", text: part.text };
  const source = mediaSource(part);
  if (source !== undefined) {
    const mediaType = source.kind === "base64" ? source.mediaType : (source.mediaType ?? "");
    return mediaType.startsWith("image/") ? { type: "image", source } : { type: "file", source };
  }
  return { type: "native", format: "gemini", raw: part };
}

function unsigned(part: ReasoningPart): boolean {
  return (
    part.signature === undefined &&
    part.redactedData === undefined &&
    part.thoughtSignature === undefined &&
    part.encryptedContent === undefined
  );
}

export function decodeModelPart(part: GeminiPart, newId: () => string): AssistantPart | undefined {
  if (part.functionCall) {
    const call: AssistantPart = {
      type: "tool_call",
      id: part.functionCall.id ?? newId(),
      name: part.functionCall.name,
      arguments: JSON.stringify(part.functionCall.args ?? {}),
    };
    if (part.thoughtSignature !== undefined) call.thoughtSignature = part.thoughtSignature;
    return call;
  }
  if (part.thought === true) {
    const reasoning: ReasoningPart = { type: "reasoning", text: part.text ?? "" };
    // Another vendor's reasoning the gateway handed out as a thought signature goes back to its own field.
    if (part.thoughtSignature !== undefined && !applyReasoningToken(reasoning, part.thoughtSignature))
      reasoning.thoughtSignature = part.thoughtSignature;
    return reasoning;
  }
  if (typeof part.text === "string" || part.thoughtSignature !== undefined) {
    const text: TextPart = { type: "text", text: part.text ?? "" };
    if (part.thoughtSignature !== undefined) text.thoughtSignature = part.thoughtSignature;
    return text;
  }
  return { type: "native", format: "gemini", raw: part };
}

function decodeTools(req: GeminiRequest, out: CanonicalRequest, passthrough: Record<string, unknown>): void {
  const native: unknown[] = [];
  for (const tool of req.tools ?? []) {
    const { functionDeclarations, ...rest } = tool;
    for (const fn of functionDeclarations ?? []) {
      const parameters = (fn.parametersJsonSchema ??
        openApiToJsonSchema(fn.parameters) ?? { type: "object", properties: {} }) as Record<string, unknown>;
      out.tools.push(
        fn.description === undefined ? { name: fn.name, parameters } : { name: fn.name, description: fn.description, parameters },
      );
    }
    if (Object.keys(rest).length > 0) native.push(rest);
  }
  if (native.length > 0) out.nativeTools = { format: "gemini", tools: native };
  const config = req.toolConfig?.functionCallingConfig;
  const names = config?.allowedFunctionNames ?? [];
  switch (config?.mode) {
    case "AUTO":
    case "VALIDATED":
      out.toolChoice = { type: "auto" };
      break;
    case "NONE":
      out.toolChoice = { type: "none" };
      break;
    case "ANY":
      out.toolChoice = names.length === 1 ? { type: "tool", name: names[0] as string } : { type: "required" };
      break;
  }
  if (names.length > 1) passthrough["toolConfig.functionCallingConfig.allowedFunctionNames"] = names;
}

function decodeGenerationConfig(config: GeminiRequest["generationConfig"], out: CanonicalRequest): void {
  if (config === undefined) return;
  if (config.maxOutputTokens !== undefined) out.maxTokens = config.maxOutputTokens;
  if (config.temperature !== undefined) out.temperature = config.temperature;
  if (config.topP !== undefined) out.topP = config.topP;
  if (config.topK !== undefined) out.topK = config.topK;
  if (config.stopSequences !== undefined && config.stopSequences.length > 0) out.stop = config.stopSequences;
  if (config.presencePenalty !== undefined) out.presencePenalty = config.presencePenalty;
  if (config.frequencyPenalty !== undefined) out.frequencyPenalty = config.frequencyPenalty;
  if (config.seed !== undefined) out.seed = config.seed;
  if (config.responseMimeType === "application/json") {
    const schema =
      config.responseJsonSchema ?? (openApiToJsonSchema(config.responseSchema) as Record<string, unknown> | undefined);
    out.responseFormat = schema === undefined ? { type: "json_object" } : { type: "json_schema", name: "response", schema };
  }
  const thinking = config.thinkingConfig;
  if (thinking !== undefined) {
    const reasoning: ReasoningConfig = { enabled: thinking.thinkingBudget !== 0 };
    if (thinking.thinkingBudget !== undefined && thinking.thinkingBudget > 0) reasoning.budgetTokens = thinking.thinkingBudget;
    const level = thinking.thinkingLevel?.toLowerCase();
    if (level !== undefined && (REASONING_EFFORTS as readonly string[]).includes(level))
      reasoning.effort = level as ReasoningEffort;
    if (thinking.includeThoughts !== undefined) reasoning.includeThoughts = thinking.includeThoughts;
    out.reasoning = reasoning;
  }
}
