/** Canonical request → Anthropic Messages request body. */
import type {
  AssistantPart,
  CacheControl,
  CanonicalMessage,
  ImagePart,
  MediaSource,
  TextPart,
  UserPart,
} from "../../canonical/content.js";
import { lastToolTurnIsUnsigned, toolResultsFirst } from "../../canonical/messages.js";
import { budgetForEffort, fitThinkingBudget } from "../../canonical/reasoning-budget.js";
import type { CanonicalRequest } from "../../canonical/request.js";
import { parseToolArguments } from "../../canonical/tool-arguments.js";
import { sanitizeToolId } from "../../canonical/tool-id.js";
import { DEFAULT_MAX_TOKENS, type EncodeRequestOptions } from "../../encode-options.js";
import { nativeFor, nativeToolsFor } from "../../native-parts.js";
import { applyPassthrough } from "../../passthrough.js";
import { enforceUnmappable, passthroughFor } from "../../unmappable.js";
import { appendTurn } from "../../wire-turns.js";

type Json = Record<string, unknown>;
const TARGET = "anthropic_messages";

export function encodeAnthropicRequest(req: CanonicalRequest, opts: EncodeRequestOptions): Json {
  const body: Json = { model: opts.upstreamModel };
  const messages = encodeMessages(req.messages);
  body.messages = messages;
  if (req.system.length > 0) {
    const plain = req.system.length === 1 && req.system[0]?.cacheControl === undefined;
    body.system = plain
      ? req.system[0]?.text
      : req.system.map((block) => withCache({ type: "text", text: block.text }, block.cacheControl));
  }
  const tools: unknown[] = req.tools.map((tool) => {
    const out: Json = { name: tool.name };
    if (tool.description !== undefined) out.description = tool.description;
    out.input_schema = tool.parameters;
    if (tool.strict !== undefined) out.strict = tool.strict;
    return withCache(out, tool.cacheControl);
  });
  tools.push(...nativeToolsFor(req, TARGET));
  if (tools.length > 0) body.tools = tools;
  encodeToolChoice(req, body, tools.length > 0);

  const maxTokens = req.maxTokens ?? opts.defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
  body.max_tokens = maxTokens;
  encodeThinking(req, body, maxTokens, req.maxTokens === undefined);
  if (req.stop !== undefined) body.stop_sequences = req.stop;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) body.top_k = req.topK;
  if (req.frequencyPenalty !== undefined) enforceUnmappable("frequency_penalty", TARGET);
  if (req.presencePenalty !== undefined) enforceUnmappable("presence_penalty", TARGET);
  if (req.seed !== undefined) enforceUnmappable("seed", TARGET);
  if (req.stream) body.stream = true;
  if (req.user !== undefined) body.metadata = { user_id: req.user };
  if (req.metadata !== undefined) enforceUnmappable("metadata", TARGET);
  const format = req.responseFormat;
  if (format?.type === "json_schema")
    body.output_config = { ...(body.output_config as Json | undefined), format: { type: "json_schema", schema: format.schema } };
  else if (format?.type === "json_object") enforceUnmappable("response_format.json_object", TARGET);
  applyPassthrough(body, passthroughFor(req.passthrough, TARGET));
  return body;
}

function withCache(block: Json, control: CacheControl | undefined): Json {
  if (control !== undefined)
    block.cache_control = control.ttl === undefined ? { type: "ephemeral" } : { type: "ephemeral", ttl: control.ttl };
  return block;
}

function encodeToolChoice(req: CanonicalRequest, body: Json, hasTools: boolean): void {
  const choice = req.toolChoice;
  let out: Json | undefined;
  if (choice?.type === "auto") out = { type: "auto" };
  else if (choice?.type === "none") out = { type: "none" };
  else if (choice?.type === "required") out = { type: "any" };
  else if (choice?.type === "tool") out = { type: "tool", name: choice.name };
  if (req.parallelToolCalls === false && hasTools && choice?.type !== "none") {
    out = { ...(out ?? { type: "auto" }), disable_parallel_tool_use: true };
  }
  if (out !== undefined && hasTools) body.tool_choice = out;
}

function encodeThinking(req: CanonicalRequest, body: Json, maxTokens: number, maxTokensDefaulted: boolean): void {
  const reasoning = req.reasoning;
  if (reasoning === undefined || !reasoning.enabled) return;
  // With thinking on, Anthropic refuses an assistant tool-use turn that lacks its signed thinking block.
  if (lastToolTurnIsUnsigned(req.messages)) {
    enforceUnmappable("thinking.unsigned_tool_turn", TARGET);
    return;
  }
  if (reasoning.adaptive === true) {
    body.thinking = { type: "adaptive" };
    const effort = reasoning.effort;
    if (effort !== undefined && effort !== "none") body.output_config = { effort: effort === "minimal" ? "low" : effort };
    return;
  }
  const fitted = fitThinkingBudget(reasoning.budgetTokens ?? budgetForEffort(reasoning.effort), maxTokens, maxTokensDefaulted);
  if (fitted === undefined) return;
  body.max_tokens = fitted.maxTokens;
  body.thinking = { type: "enabled", budget_tokens: fitted.budget };
}

function encodeMessages(messages: CanonicalMessage[]): Json[] {
  const out: Array<{ role: "user" | "assistant" } & Json> = [];
  for (const message of messages) {
    const blocks =
      message.role === "user" ? encodeUserParts(toolResultsFirst(message.content)) : encodeAssistantParts(message.content);
    appendTurn(out, message.role, "content", blocks);
  }
  return out;
}

function encodeSource(source: MediaSource): Json {
  return source.kind === "url"
    ? { type: "url", url: source.url }
    : { type: "base64", media_type: source.mediaType, data: source.data };
}

function encodeImage(part: ImagePart): Json {
  if (part.detail !== undefined) enforceUnmappable("image_detail", TARGET);
  return withCache({ type: "image", source: encodeSource(part.source) }, part.cacheControl);
}

function encodeText(part: TextPart): Json | undefined {
  // Anthropic rejects empty text blocks.
  if (part.text === "") return undefined;
  if (part.thoughtSignature !== undefined) enforceUnmappable("thought_signature", TARGET);
  return withCache({ type: "text", text: part.text }, part.cacheControl);
}

function encodeUserParts(parts: UserPart[]): Json[] {
  const out: Json[] = [];
  for (const part of parts) {
    let block: Json | undefined;
    switch (part.type) {
      case "text":
        block = encodeText(part);
        break;
      case "image":
        block = encodeImage(part);
        break;
      case "file":
        block = encodeDocument(part);
        break;
      case "tool_result": {
        const content = part.content.flatMap((item) => {
          const encoded = item.type === "text" ? encodeText(item) : encodeImage(item);
          return encoded === undefined ? [] : [encoded];
        });
        block = { type: "tool_result", tool_use_id: sanitizeToolId(part.toolCallId), content };
        if (part.isError === true) block.is_error = true;
        withCache(block, part.cacheControl);
        break;
      }
      case "native":
        block = nativeFor(part, TARGET) as Json | undefined;
        break;
    }
    if (block !== undefined) out.push(block);
  }
  return out;
}

function encodeDocument(part: Extract<UserPart, { type: "file" }>): Json | undefined {
  const { source } = part;
  const mediaType = source.kind === "base64" ? source.mediaType : (source.mediaType ?? "application/pdf");
  if (mediaType.startsWith("audio/")) {
    enforceUnmappable("audio_input", TARGET);
    return undefined;
  }
  let encoded: Json;
  if (mediaType === "application/pdf") encoded = encodeSource(source);
  else if (mediaType.startsWith("text/") && source.kind === "base64") {
    encoded = { type: "text", media_type: "text/plain", data: Buffer.from(source.data, "base64").toString("utf8") };
  } else {
    enforceUnmappable("document_type", TARGET);
    return undefined;
  }
  const block: Json = { type: "document", source: encoded };
  if (part.filename !== undefined) block.title = part.filename;
  return withCache(block, part.cacheControl);
}

function encodeAssistantParts(parts: AssistantPart[]): Json[] {
  const out: Json[] = [];
  for (const part of parts) {
    switch (part.type) {
      case "text": {
        const block = encodeText(part);
        if (block !== undefined) out.push(block);
        break;
      }
      case "reasoning":
        if (part.redactedData !== undefined) out.push({ type: "redacted_thinking", data: part.redactedData });
        else if (part.signature !== undefined) out.push({ type: "thinking", thinking: part.text, signature: part.signature });
        else enforceUnmappable("reasoning_history", TARGET);
        break;
      case "tool_call": {
        if (part.thoughtSignature !== undefined) enforceUnmappable("thought_signature", TARGET);
        const input = parseToolArguments(part.arguments, `the arguments of tool call ${part.id}`);
        out.push(withCache({ type: "tool_use", id: sanitizeToolId(part.id), name: part.name, input }, part.cacheControl));
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
