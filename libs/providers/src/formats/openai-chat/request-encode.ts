/** Canonical request → OpenAI Chat Completions request body (OpenAI, Azure OpenAI, OpenAI-compatible servers). */
import type { AssistantPart, CanonicalMessage, UserPart } from "../../canonical/content.js";
import { toolResultText } from "../../canonical/instructions.js";
import { mediaSourceToUrl, mediaSubtype } from "../../canonical/media.js";
import { effortForBudget } from "../../canonical/reasoning-budget.js";
import type { CanonicalRequest } from "../../canonical/request.js";
import type { EncodeRequestOptions } from "../../encode-options.js";
import { nativeFor, nativeToolsFor } from "../../native-parts.js";
import { applyPassthrough } from "../../passthrough.js";
import { enforceUnmappable, passthroughFor } from "../../unmappable.js";

type Json = Record<string, unknown>;
const TARGET = "openai_chat";

export function encodeOpenAiChatRequest(req: CanonicalRequest, opts: EncodeRequestOptions): Json {
  const body: Json = { model: opts.upstreamModel };
  const messages: Json[] = [];
  if (req.system.length > 0) {
    if (req.system.some((block) => block.cacheControl !== undefined)) enforceUnmappable("cache_control", TARGET);
    messages.push({ role: "system", content: req.system.map((block) => block.text).join("\n\n") });
  }
  for (const message of req.messages) encodeMessage(message, messages);
  body.messages = messages;

  const tools: unknown[] = req.tools.map((tool) => {
    if (tool.cacheControl !== undefined) enforceUnmappable("cache_control", TARGET);
    const fn: Json = { name: tool.name };
    if (tool.description !== undefined) fn.description = tool.description;
    fn.parameters = tool.parameters;
    if (tool.strict !== undefined) fn.strict = tool.strict;
    return { type: "function", function: fn };
  });
  tools.push(...nativeToolsFor(req, TARGET));
  if (tools.length > 0) body.tools = tools;
  // OpenAI refuses tool_choice and parallel_tool_calls without tools.
  if (req.toolChoice !== undefined && tools.length > 0) {
    body.tool_choice =
      req.toolChoice.type === "tool" ? { type: "function", function: { name: req.toolChoice.name } } : req.toolChoice.type;
  }
  if (req.parallelToolCalls !== undefined && tools.length > 0) body.parallel_tool_calls = req.parallelToolCalls;

  if (req.maxTokens !== undefined) body[opts.openaiMaxTokensField ?? "max_completion_tokens"] = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) enforceUnmappable("top_k", TARGET);
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty;
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.stop !== undefined) body.stop = req.stop;
  encodeResponseFormat(req, body);
  encodeReasoning(req, body);
  if (req.stream) {
    body.stream = true;
    // Always ask for usage: the gateway accounts tokens even when the client did not ask to see them.
    body.stream_options = { include_usage: true };
  }
  if (req.user !== undefined) {
    if (req.userFromMetadata !== true || opts.forwardMetadataUser === true) body.user = req.user;
    else enforceUnmappable("metadata.user_id", TARGET);
  }
  if (req.metadata !== undefined) enforceUnmappable("metadata", TARGET);
  applyPassthrough(body, passthroughFor(req.passthrough, TARGET));
  return body;
}

function encodeResponseFormat(req: CanonicalRequest, body: Json): void {
  const format = req.responseFormat;
  if (format === undefined) return;
  if (format.type !== "json_schema") {
    body.response_format = { type: format.type };
    return;
  }
  const spec: Json = { name: format.name, schema: format.schema };
  if (format.strict !== undefined) spec.strict = format.strict;
  if (format.description !== undefined) spec.description = format.description;
  body.response_format = { type: "json_schema", json_schema: spec };
}

function encodeReasoning(req: CanonicalRequest, body: Json): void {
  const reasoning = req.reasoning;
  if (reasoning === undefined) return;
  if (!reasoning.enabled) {
    if (reasoning.effort === "none") body.reasoning_effort = "none";
    else enforceUnmappable("reasoning.disabled", TARGET);
    return;
  }
  if (reasoning.effort !== undefined && reasoning.effort !== "none") {
    body.reasoning_effort = reasoning.effort === "max" ? "xhigh" : reasoning.effort;
  } else if (reasoning.budgetTokens !== undefined) {
    body.reasoning_effort = effortForBudget(reasoning.budgetTokens);
  } else {
    body.reasoning_effort = "medium";
  }
}

function encodeMessage(message: CanonicalMessage, out: Json[]): void {
  if (message.role === "assistant") {
    const assistant = encodeAssistant(message.content);
    // A turn that held only reasoning or foreign native blocks is empty here; OpenAI refuses empty assistant turns.
    if (assistant.content !== null || assistant.tool_calls !== undefined) out.push(assistant);
    return;
  }
  // Tool results become `tool` messages, which must directly follow the assistant turn that called them. Tool
  // messages hold text only, so images a tool returned follow them in a user message, the closest place allowed.
  let rest: Json[] = [];
  const flush = () => {
    if (rest.length === 0) return;
    const only = rest[0];
    out.push({ role: "user", content: rest.length === 1 && only?.type === "text" ? only.text : rest });
    rest = [];
  };
  for (const part of message.content) {
    if (part.type === "tool_result") {
      const text: string[] = [];
      const images: Json[] = [];
      for (const item of part.content) {
        if (item.type === "text") text.push(item.text);
        else images.push(encodeUserPart(item) as Json);
      }
      if (images.length > 0) {
        text.push(
          `(${images.length} image${images.length === 1 ? "" : "s"} returned by this tool follow in the next user message)`,
        );
        rest.push({ type: "text", text: `Images returned by tool call ${part.toolCallId}:` }, ...images);
      }
      if (part.cacheControl !== undefined) enforceUnmappable("cache_control", TARGET);
      out.push({ role: "tool", tool_call_id: part.toolCallId, content: toolResultText(part.isError === true, text) });
    } else if (part.type === "text" && part.instruction !== undefined) {
      // A mid-conversation system or developer message stays one, in place.
      flush();
      out.push({ role: part.instruction, content: part.text });
    } else {
      const encoded = encodeUserPart(part);
      if (encoded !== undefined) rest.push(encoded);
    }
  }
  flush();
}

function encodeUserPart(part: Exclude<UserPart, { type: "tool_result" }>): Json | undefined {
  if ("cacheControl" in part && part.cacheControl !== undefined) enforceUnmappable("cache_control", TARGET);
  switch (part.type) {
    case "text":
      return { type: "text", text: part.text };
    case "image": {
      const image: Json = { url: mediaSourceToUrl(part.source) };
      if (part.detail !== undefined) image.detail = part.detail;
      return { type: "image_url", image_url: image };
    }
    case "file": {
      if (part.source.kind === "url") {
        enforceUnmappable("file_url", TARGET);
        return undefined;
      }
      if (part.source.mediaType.startsWith("audio/")) {
        const subtype = mediaSubtype(part.source.mediaType);
        return { type: "input_audio", input_audio: { data: part.source.data, format: subtype === "mpeg" ? "mp3" : subtype } };
      }
      const file: Json = { file_data: mediaSourceToUrl(part.source) };
      file.filename = part.filename ?? "document";
      return { type: "file", file };
    }
    case "native":
      return nativeFor(part, TARGET) as Json | undefined;
  }
}

function encodeAssistant(content: AssistantPart[]): Json {
  const text: string[] = [];
  const toolCalls: Json[] = [];
  for (const part of content) {
    switch (part.type) {
      case "text":
        text.push(part.text);
        break;
      case "tool_call":
        toolCalls.push({ id: part.id, type: "function", function: { name: part.name, arguments: part.arguments } });
        break;
      case "reasoning":
        enforceUnmappable("reasoning_history", TARGET);
        break;
      case "native":
        // OpenAI Chat has no native assistant content of its own, so this only enforces the table.
        nativeFor(part, TARGET);
        break;
    }
  }
  const message: Json = { role: "assistant", content: text.length > 0 ? text.join("") : null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}
