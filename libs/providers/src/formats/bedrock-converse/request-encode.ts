/**
 * Canonical request → Bedrock Converse body (the model id goes in the URL). Prompt-cache breakpoints become
 * `cachePoint` blocks; reasoning becomes Claude's `thinking` in additionalModelRequestFields, the form Claude models
 * on Bedrock take.
 */
import type { AssistantPart, CacheControl, MediaSource, UserPart } from "../../canonical/content.js";
import { lastToolTurnIsUnsigned, mergeConsecutiveRoles, toolResultsFirst } from "../../canonical/messages.js";
import { budgetForEffort, fitThinkingBudget } from "../../canonical/reasoning-budget.js";
import type { CanonicalRequest } from "../../canonical/request.js";
import { parseToolArguments } from "../../canonical/tool-arguments.js";
import { sanitizeToolId } from "../../canonical/tool-id.js";
import { DEFAULT_MAX_TOKENS, type EncodeRequestOptions } from "../../encode-options.js";
import { nativeFor, nativeToolsFor } from "../../native-parts.js";
import { applyPassthrough } from "../../passthrough.js";
import { enforceUnmappable, passthroughFor } from "../../unmappable.js";
import { appendTurn } from "../../wire-turns.js";
import { documentFormat, documentName, imageFormat } from "./mapping.js";

type Json = Record<string, unknown>;
const TARGET = "bedrock_converse";
const CACHE_POINT = { cachePoint: { type: "default" } };

export function encodeBedrockRequest(req: CanonicalRequest, opts: EncodeRequestOptions): Json {
  const body: Json = {};
  const documents = { count: 0 };
  const messages: Array<{ role: "user" | "assistant" } & Json> = [];
  for (const message of mergeConsecutiveRoles(req.messages)) {
    const content =
      message.role === "user"
        ? encodeUserParts(toolResultsFirst(message.content), documents)
        : encodeAssistantParts(message.content);
    appendTurn(messages, message.role, "content", content);
  }
  body.messages = messages;
  if (req.system.length > 0)
    body.system = req.system.flatMap((block) => withCachePoint({ text: block.text }, block.cacheControl));
  encodeTools(req, body);

  const inference: Json = {};
  const maxTokens = req.maxTokens ?? opts.defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
  inference.maxTokens = maxTokens;
  if (req.temperature !== undefined) inference.temperature = req.temperature;
  if (req.topP !== undefined) inference.topP = req.topP;
  if (req.stop !== undefined) inference.stopSequences = req.stop;
  body.inferenceConfig = inference;
  if (req.topK !== undefined) enforceUnmappable("top_k", TARGET);
  if (req.frequencyPenalty !== undefined) enforceUnmappable("frequency_penalty", TARGET);
  if (req.presencePenalty !== undefined) enforceUnmappable("presence_penalty", TARGET);
  if (req.seed !== undefined) enforceUnmappable("seed", TARGET);
  if (req.user !== undefined) enforceUnmappable("user", TARGET);
  if (req.metadata !== undefined) body.requestMetadata = req.metadata;

  const reasoning = req.reasoning;
  if (reasoning?.enabled === true) {
    if (lastToolTurnIsUnsigned(req.messages)) enforceUnmappable("thinking.unsigned_tool_turn", TARGET);
    else {
      const fitted = fitThinkingBudget(
        reasoning.budgetTokens ?? budgetForEffort(reasoning.effort),
        maxTokens,
        req.maxTokens === undefined,
      );
      if (fitted !== undefined) {
        inference.maxTokens = fitted.maxTokens;
        body.additionalModelRequestFields = { thinking: { type: "enabled", budget_tokens: fitted.budget } };
      }
    }
  }
  const format = req.responseFormat;
  if (format?.type === "json_schema") {
    const jsonSchema: Json = { schema: JSON.stringify(format.schema), name: format.name };
    if (format.description !== undefined) jsonSchema.description = format.description;
    body.outputConfig = { textFormat: { type: "json_schema", structure: { jsonSchema } } };
  } else if (format?.type === "json_object") enforceUnmappable("response_format.json_object", TARGET);
  applyPassthrough(body, passthroughFor(req.passthrough, TARGET));
  return body;
}

function withCachePoint(block: Json, control: CacheControl | undefined): Json[] {
  return control === undefined ? [block] : [block, CACHE_POINT];
}

function encodeTools(req: CanonicalRequest, body: Json): void {
  const hasToolBlocks = req.messages.some((message) =>
    message.content.some((part) => part.type === "tool_call" || part.type === "tool_result"),
  );
  if (req.parallelToolCalls === false && req.tools.length > 0) enforceUnmappable("parallel_tool_calls", TARGET);
  // Converse has no "none": leaving the tools out is exact, unless the history holds tool blocks, which need them.
  if (req.toolChoice?.type === "none") {
    enforceUnmappable("tool_choice.none", TARGET);
    if (!hasToolBlocks) return;
  }
  const tools: unknown[] = req.tools.flatMap((tool) => {
    const spec: Json = { name: tool.name };
    if (tool.description !== undefined) spec.description = tool.description;
    spec.inputSchema = { json: tool.parameters };
    if (tool.strict !== undefined) spec.strict = tool.strict;
    return withCachePoint({ toolSpec: spec }, tool.cacheControl);
  });
  tools.push(...nativeToolsFor(req, TARGET));
  if (tools.length === 0 && hasToolBlocks) {
    // Converse rejects tool blocks without a toolConfig; declare the tools the history used, schema-free.
    const names = new Set<string>();
    for (const message of req.messages) for (const part of message.content) if (part.type === "tool_call") names.add(part.name);
    for (const name of names) tools.push({ toolSpec: { name, inputSchema: { json: { type: "object" } } } });
  }
  if (tools.length === 0) return;
  const config: Json = { tools };
  const choice = req.toolChoice;
  if (choice?.type === "required") config.toolChoice = { any: {} };
  else if (choice?.type === "tool") config.toolChoice = { tool: { name: choice.name } };
  else if (choice?.type === "auto") config.toolChoice = { auto: {} };
  body.toolConfig = config;
}

function encodeImage(source: MediaSource): Json | undefined {
  if (source.kind === "url") {
    if (source.url.startsWith("s3://")) {
      const format = imageFormat(source.mediaType ?? source.url.slice(source.url.lastIndexOf(".") + 1));
      return { image: { format: format ?? "png", source: { s3Location: { uri: source.url } } } };
    }
    enforceUnmappable("image_url", TARGET);
    return undefined;
  }
  const format = imageFormat(source.mediaType);
  if (format === undefined) {
    enforceUnmappable("document_type", TARGET);
    return undefined;
  }
  return { image: { format, source: { bytes: source.data } } };
}

function encodeUserParts(content: UserPart[], documents: { count: number }): Json[] {
  const out: Json[] = [];
  for (const part of content) {
    let block: Json | undefined;
    switch (part.type) {
      case "text":
        block = part.text === "" ? undefined : { text: part.text };
        break;
      case "image":
        if (part.detail !== undefined) enforceUnmappable("image_detail", TARGET);
        block = encodeImage(part.source);
        break;
      case "file":
        block = encodeDocument(part, ++documents.count);
        break;
      case "tool_result": {
        const items = part.content.flatMap((item) => {
          if (item.type === "text") return [{ text: item.text }];
          const image = encodeImage(item.source);
          return image === undefined ? [] : [image];
        });
        block = {
          toolResult: {
            toolUseId: sanitizeToolId(part.toolCallId),
            content: items,
            status: part.isError === true ? "error" : "success",
          },
        };
        break;
      }
      case "native":
        block = nativeFor(part, TARGET) as Json | undefined;
        break;
    }
    if (block !== undefined) out.push(...withCachePoint(block, "cacheControl" in part ? part.cacheControl : undefined));
  }
  return out;
}

function encodeDocument(part: Extract<UserPart, { type: "file" }>, position: number): Json | undefined {
  const { source } = part;
  const mediaType = source.kind === "base64" ? source.mediaType : (source.mediaType ?? "application/pdf");
  if (mediaType.startsWith("audio/")) {
    enforceUnmappable("audio_input", TARGET);
    return undefined;
  }
  const format = documentFormat(mediaType);
  if (format === undefined) {
    enforceUnmappable("document_type", TARGET);
    return undefined;
  }
  let location: Json;
  if (source.kind === "base64") location = { bytes: source.data };
  else if (source.url.startsWith("s3://")) location = { s3Location: { uri: source.url } };
  else {
    enforceUnmappable("file_url", TARGET);
    return undefined;
  }
  return { document: { format, name: documentName(part.filename, position), source: location } };
}

function encodeAssistantParts(content: AssistantPart[]): Json[] {
  const out: Json[] = [];
  for (const part of content) {
    switch (part.type) {
      case "text":
        if (part.thoughtSignature !== undefined) enforceUnmappable("thought_signature", TARGET);
        if (part.text !== "") out.push(...withCachePoint({ text: part.text }, part.cacheControl));
        break;
      case "reasoning":
        if (part.redactedData !== undefined) out.push({ reasoningContent: { redactedContent: part.redactedData } });
        else if (part.signature !== undefined)
          out.push({ reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } });
        else enforceUnmappable("reasoning_history", TARGET);
        break;
      case "tool_call": {
        if (part.thoughtSignature !== undefined) enforceUnmappable("thought_signature", TARGET);
        const input = parseToolArguments(part.arguments, `the arguments of tool call ${part.id}`);
        out.push(
          ...withCachePoint({ toolUse: { toolUseId: sanitizeToolId(part.id), name: part.name, input } }, part.cacheControl),
        );
        break;
      }
      case "native": {
        const raw = nativeFor(part, TARGET);
        if (raw !== undefined) out.push(raw as Json);
        break;
      }
    }
  }
  return out;
}
