/**
 * Bedrock Converse body → canonical request. Bedrock is never a client format; this decoder makes the format
 * symmetric (round-trip tests, reading back what the gateway sent). The model id comes from the URL.
 */
import type {
  AssistantPart,
  CacheControl,
  CanonicalMessage,
  ImagePart,
  MediaSource,
  SystemBlock,
  TextPart,
  UserPart,
} from "../../canonical/content.js";
import type { CanonicalRequest, CanonicalTool } from "../../canonical/request.js";
import { stringifyToolArguments } from "../../canonical/tool-arguments.js";
import { unknownFields } from "../../upstream-body.js";
import { parseRequestBody } from "../../validation.js";
import { documentMediaType } from "./mapping.js";
import { type BedrockBlock, type BedrockRequest, BedrockRequestSchema } from "./schema.js";

const KNOWN = new Set([
  "messages",
  "system",
  "inferenceConfig",
  "toolConfig",
  "additionalModelRequestFields",
  "outputConfig",
  "requestMetadata",
]);
const EPHEMERAL: CacheControl = { type: "ephemeral" };

export function decodeBedrockRequest(body: unknown, opts: { model: string; stream: boolean }): CanonicalRequest {
  const req = parseRequestBody(BedrockRequestSchema, body);
  const system: SystemBlock[] = [];
  for (const block of req.system ?? []) {
    if (typeof block.text === "string") system.push({ text: block.text });
    else if (block.cachePoint !== undefined && system.length > 0)
      (system[system.length - 1] as SystemBlock).cacheControl = EPHEMERAL;
  }
  const out: CanonicalRequest = {
    model: opts.model,
    system,
    messages: req.messages.map((message) => decodeMessage(message.role, message.content)),
    tools: decodeTools(req),
    stream: opts.stream,
    includeUsage: true,
  };
  const choice = req.toolConfig?.toolChoice;
  if (choice?.any !== undefined) out.toolChoice = { type: "required" };
  else if (choice?.tool !== undefined) out.toolChoice = { type: "tool", name: choice.tool.name };
  else if (choice?.auto !== undefined) out.toolChoice = { type: "auto" };
  const inference = req.inferenceConfig;
  if (inference?.maxTokens !== undefined) out.maxTokens = inference.maxTokens;
  if (inference?.temperature !== undefined) out.temperature = inference.temperature;
  if (inference?.topP !== undefined) out.topP = inference.topP;
  if (inference?.stopSequences !== undefined && inference.stopSequences.length > 0) out.stop = inference.stopSequences;
  if (req.requestMetadata !== undefined) out.metadata = req.requestMetadata;
  const passthrough = unknownFields(req, KNOWN) ?? {};
  const { thinking, ...extra } = req.additionalModelRequestFields ?? {};
  const budget = (thinking as { type?: string; budget_tokens?: number } | undefined)?.budget_tokens;
  if (typeof budget === "number") out.reasoning = { enabled: true, budgetTokens: budget, includeThoughts: true };
  if (Object.keys(extra).length > 0) passthrough.additionalModelRequestFields = extra;
  const jsonSchema = req.outputConfig?.textFormat?.structure.jsonSchema;
  if (jsonSchema !== undefined) {
    out.responseFormat = {
      type: "json_schema",
      name: jsonSchema.name ?? "response",
      schema: JSON.parse(jsonSchema.schema) as Record<string, unknown>,
    };
    if (jsonSchema.description !== undefined) out.responseFormat.description = jsonSchema.description;
  }
  if (Object.keys(passthrough).length > 0) out.passthrough = { format: "bedrock_converse", fields: passthrough };
  return out;
}

function decodeTools(req: BedrockRequest): CanonicalTool[] {
  const tools: CanonicalTool[] = [];
  for (const entry of req.toolConfig?.tools ?? []) {
    const spec = entry.toolSpec;
    if (spec === undefined) {
      const last = tools[tools.length - 1];
      if (entry.cachePoint !== undefined && last !== undefined) last.cacheControl = EPHEMERAL;
      continue;
    }
    const tool: CanonicalTool = { name: spec.name, parameters: spec.inputSchema.json };
    if (spec.description !== undefined) tool.description = spec.description;
    if (spec.strict !== undefined) tool.strict = spec.strict;
    tools.push(tool);
  }
  return tools;
}

export function mediaFromBedrock(source: { bytes?: string; s3Location?: { uri: string } }, mediaType: string): MediaSource {
  if (source.bytes !== undefined) return { kind: "base64", mediaType, data: source.bytes };
  return { kind: "url", url: source.s3Location?.uri ?? "", mediaType };
}

function decodeMessage(role: "user" | "assistant", blocks: BedrockBlock[]): CanonicalMessage {
  const parts: Array<UserPart | AssistantPart> = [];
  for (const block of blocks) {
    if (block.cachePoint !== undefined) {
      const last = parts[parts.length - 1];
      if (last !== undefined && last.type !== "reasoning" && last.type !== "native") last.cacheControl = EPHEMERAL;
      continue;
    }
    const part = decodeBlock(block);
    if (part !== undefined) parts.push(part);
  }
  return role === "user" ? { role, content: parts as UserPart[] } : { role, content: parts as AssistantPart[] };
}

function decodeBlock(block: BedrockBlock): UserPart | AssistantPart | undefined {
  if (typeof block.text === "string") return { type: "text", text: block.text };
  if (block.image) return { type: "image", source: mediaFromBedrock(block.image.source, `image/${block.image.format}`) };
  if (block.document) {
    const part: UserPart = {
      type: "file",
      source: mediaFromBedrock(block.document.source, documentMediaType(block.document.format)),
    };
    if (block.document.name !== undefined) part.filename = block.document.name;
    return part;
  }
  if (block.toolUse)
    return {
      type: "tool_call",
      id: block.toolUse.toolUseId,
      name: block.toolUse.name,
      arguments: stringifyToolArguments(block.toolUse.input),
    };
  if (block.toolResult) {
    const content: Array<TextPart | ImagePart> = [];
    for (const item of block.toolResult.content ?? []) {
      if (typeof item.text === "string") content.push({ type: "text", text: item.text });
      else if (item.json !== undefined) content.push({ type: "text", text: JSON.stringify(item.json) });
      else if (item.image)
        content.push({ type: "image", source: mediaFromBedrock(item.image.source, `image/${item.image.format}`) });
    }
    const part: UserPart = { type: "tool_result", toolCallId: block.toolResult.toolUseId, content };
    if (block.toolResult.status === "error") part.isError = true;
    return part;
  }
  if (block.reasoningContent) {
    const { reasoningText, redactedContent } = block.reasoningContent;
    if (redactedContent !== undefined) return { type: "reasoning", text: "", redactedData: redactedContent };
    if (reasoningText !== undefined) {
      return reasoningText.signature === undefined
        ? { type: "reasoning", text: reasoningText.text }
        : { type: "reasoning", text: reasoningText.text, signature: reasoningText.signature };
    }
  }
  return { type: "native", format: "bedrock_converse", raw: block };
}
