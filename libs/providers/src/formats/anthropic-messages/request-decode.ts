/** Anthropic Messages request (and count_tokens request) → canonical request, validating it first. */
import { AppError } from "@thinkwatch/errors";
import type {
  AssistantPart,
  CacheControl,
  CanonicalMessage,
  ImagePart,
  MediaSource,
  ReasoningPart,
  SystemBlock,
  TextPart,
  UserPart,
} from "../../canonical/content.js";
import { applyReasoningToken, lowerSignatures } from "../../canonical/reasoning-token.js";
import type { CanonicalRequest, CanonicalTool, ReasoningConfig } from "../../canonical/request.js";
import { stringifyToolArguments } from "../../canonical/tool-arguments.js";
import { collectNested } from "../../passthrough.js";
import { unknownFields } from "../../upstream-body.js";
import { parseRequestBody } from "../../validation.js";
import { type AnthropicBlock, type AnthropicMediaSource, type AnthropicRequest, AnthropicRequestSchema } from "./schema.js";

const KNOWN = new Set([
  "model",
  "max_tokens",
  "messages",
  "system",
  "tools",
  "tool_choice",
  "stop_sequences",
  "temperature",
  "top_p",
  "top_k",
  "stream",
  "metadata",
  "thinking",
  "output_config",
  "output_format",
]);

export interface AnthropicDecodeOptions {
  /** Decoding a `/v1/messages/count_tokens` body, which has no max_tokens. */
  countTokens?: boolean;
}

export function decodeAnthropicRequest(body: unknown, opts: AnthropicDecodeOptions = {}): CanonicalRequest {
  const req = parseRequestBody(AnthropicRequestSchema, body);
  if (req.max_tokens === undefined && opts.countTokens !== true) {
    throw new AppError("validation_failed", "invalid request: max_tokens is required", {
      details: { issues: ["max_tokens is required"] },
    });
  }
  if (req.messages.length === 0 && opts.countTokens !== true) {
    throw new AppError("validation_failed", "invalid request: messages must contain at least one message", {
      details: { issues: ["messages must contain at least one message"] },
    });
  }
  // Mid-conversation system turns join the system prompt: every other format keeps instructions apart from turns
  // (the OpenAI decoder does the same). Same-format pass-through keeps them in place, since the bytes are forwarded.
  const system = decodeSystem(req.system);
  const messages: CanonicalMessage[] = [];
  req.messages.forEach((message, i) => {
    if (message.role === "system") system.push(...systemTurnText(message.content));
    else messages.push(decodeMessage(message.role, message.content, i));
  });
  const out: CanonicalRequest = {
    model: req.model,
    system,
    messages,
    tools: [],
    stream: req.stream === true,
    includeUsage: true,
  };
  const passthrough = unknownFields(req, KNOWN) ?? {};
  decodeTools(req, out);
  if (req.max_tokens !== undefined) out.maxTokens = req.max_tokens;
  if (req.stop_sequences !== undefined && req.stop_sequences.length > 0) out.stop = req.stop_sequences;
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.top_p !== undefined) out.topP = req.top_p;
  if (req.top_k !== undefined) out.topK = req.top_k;
  const userId = req.metadata?.user_id;
  if (typeof userId === "string") {
    out.user = userId;
    out.userFromMetadata = true;
  }
  collectNested(passthrough, "metadata", req.metadata, new Set(["user_id"]));

  const reasoning = decodeThinking(req);
  if (reasoning !== undefined) out.reasoning = reasoning;
  else if (req.output_config?.effort !== undefined) passthrough["output_config.effort"] = req.output_config.effort;
  collectNested(passthrough, "output_config", req.output_config, new Set(["effort", "format"]));
  const format = req.output_config?.format ?? req.output_format;
  if (format) out.responseFormat = { type: "json_schema", name: "response", schema: format.schema, strict: true };
  if (Object.keys(passthrough).length > 0) out.passthrough = { format: "anthropic_messages", fields: passthrough };
  return out;
}

function cache(value: { type: "ephemeral"; ttl?: string } | null | undefined): CacheControl | undefined {
  if (value === undefined || value === null) return undefined;
  return value.ttl === undefined ? { type: "ephemeral" } : { type: "ephemeral", ttl: value.ttl };
}

function withCache<T extends { cacheControl?: CacheControl }>(
  part: T,
  control: { type: "ephemeral"; ttl?: string } | null | undefined,
): T {
  const value = cache(control);
  if (value !== undefined) part.cacheControl = value;
  return part;
}

function decodeSystem(system: AnthropicRequest["system"]): SystemBlock[] {
  if (system === undefined) return [];
  if (typeof system === "string") return system === "" ? [] : [{ text: system }];
  return system.map((block) => withCache<SystemBlock>({ text: block.text }, block.cache_control));
}

function systemTurnText(content: string | AnthropicBlock[]): SystemBlock[] {
  if (typeof content === "string") return content === "" ? [] : [{ text: content }];
  return content.flatMap((block) => (block.type === "text" && typeof block.text === "string" ? [{ text: block.text }] : []));
}

function decodeMessage(role: "user" | "assistant", content: string | AnthropicBlock[], index: number): CanonicalMessage {
  if (typeof content === "string")
    return role === "user"
      ? { role, content: [{ type: "text", text: content }] }
      : { role, content: [{ type: "text", text: content }] };
  if (role === "user") return { role, content: content.map(decodeUserBlock) };
  const parts = content.map((block, j) => decodeAssistantBlock(block, `messages[${index}].content[${j}]`));
  return { role, content: lowerSignatures(parts) };
}

/** Undefined for file ids and inline content lists, which only Anthropic can resolve. */
export function mediaSourceFromAnthropic(source: AnthropicMediaSource): MediaSource | undefined {
  switch (source.type) {
    case "base64":
      return { kind: "base64", mediaType: source.media_type, data: source.data };
    case "url":
      return { kind: "url", url: source.url };
    case "text":
      return {
        kind: "base64",
        mediaType: source.media_type ?? "text/plain",
        data: Buffer.from(source.data, "utf8").toString("base64"),
      };
    default:
      return undefined;
  }
}

function decodeUserBlock(block: AnthropicBlock): UserPart {
  switch (block.type) {
    case "text":
      return withCache<TextPart>(
        { type: "text", text: (block as { text: string }).text },
        (block as { cache_control?: null }).cache_control,
      );
    case "image":
    case "document": {
      const b = block as {
        source: AnthropicMediaSource;
        title?: string | null;
        cache_control?: { type: "ephemeral"; ttl?: string } | null;
      };
      const source = mediaSourceFromAnthropic(b.source);
      if (source === undefined)
        return {
          type: "native",
          format: "anthropic_messages",
          raw: block,
          param: b.source.type === "file" ? "file_id" : "native_content",
        };
      if (block.type === "image") return withCache<ImagePart>({ type: "image", source }, b.cache_control);
      const part: UserPart = { type: "file", source };
      if (typeof b.title === "string") part.filename = b.title;
      return withCache(part, b.cache_control);
    }
    case "tool_result": {
      const b = block as Extract<AnthropicBlock, { type: "tool_result" }>;
      const content: Array<TextPart | ImagePart> = [];
      if (typeof b.content === "string") content.push({ type: "text", text: b.content });
      else {
        for (const item of b.content ?? []) {
          if (item.type === "text") content.push({ type: "text", text: item.text });
          else if (item.type === "image") {
            const source = mediaSourceFromAnthropic(item.source);
            if (source !== undefined) content.push({ type: "image", source });
          } else if (item.source.type === "text") content.push({ type: "text", text: item.source.data });
        }
      }
      const part: UserPart = { type: "tool_result", toolCallId: b.tool_use_id, content };
      if (b.is_error === true) part.isError = true;
      return withCache(part, b.cache_control);
    }
    default:
      return { type: "native", format: "anthropic_messages", raw: block };
  }
}

function decodeAssistantBlock(block: AnthropicBlock, field: string): AssistantPart {
  switch (block.type) {
    case "text":
      return withCache<TextPart>(
        { type: "text", text: (block as { text: string }).text },
        (block as { cache_control?: null }).cache_control,
      );
    case "tool_use": {
      const b = block as Extract<AnthropicBlock, { type: "tool_use" }>;
      return withCache<AssistantPart & { type: "tool_call" }>(
        { type: "tool_call", id: b.id, name: b.name, arguments: stringifyToolArguments(b.input) },
        b.cache_control,
      );
    }
    case "thinking": {
      const b = block as Extract<AnthropicBlock, { type: "thinking" }>;
      const part: ReasoningPart = { type: "reasoning", text: b.thinking };
      // Another vendor's reasoning the gateway handed out in the signature slot goes back to its own field.
      if (b.signature !== undefined && !applyReasoningToken(part, b.signature)) part.signature = b.signature;
      return part;
    }
    case "redacted_thinking":
      return { type: "reasoning", text: "", redactedData: (block as { data: string }).data };
    case "image":
    case "document":
    case "tool_result":
      throw new AppError("validation_failed", `invalid request: ${field} (${block.type}) may only appear in user messages`);
    default:
      return { type: "native", format: "anthropic_messages", raw: block };
  }
}

function decodeTools(req: AnthropicRequest, out: CanonicalRequest): void {
  const native: unknown[] = [];
  for (const tool of req.tools ?? []) {
    if ("input_schema" in tool && (tool.type === undefined || tool.type === "custom")) {
      const t = tool as {
        name: string;
        description?: string;
        input_schema: Record<string, unknown>;
        strict?: boolean;
        cache_control?: null;
      };
      const canonical: CanonicalTool = { name: t.name, parameters: t.input_schema };
      if (t.description !== undefined) canonical.description = t.description;
      if (t.strict !== undefined) canonical.strict = t.strict;
      out.tools.push(withCache(canonical, t.cache_control));
    } else {
      native.push(tool);
    }
  }
  if (native.length > 0) out.nativeTools = { format: "anthropic_messages", tools: native };
  const choice = req.tool_choice;
  if (choice === undefined) return;
  if (choice.type === "auto") out.toolChoice = { type: "auto" };
  else if (choice.type === "any") out.toolChoice = { type: "required" };
  else if (choice.type === "none") out.toolChoice = { type: "none" };
  else out.toolChoice = { type: "tool", name: choice.name };
  if ("disable_parallel_tool_use" in choice && choice.disable_parallel_tool_use === true) out.parallelToolCalls = false;
}

function decodeThinking(req: AnthropicRequest): ReasoningConfig | undefined {
  const thinking = req.thinking;
  const effort = req.output_config?.effort;
  if (thinking === undefined) return undefined;
  if (thinking.type === "disabled") return { enabled: false };
  if (thinking.type === "adaptive")
    return effort === undefined
      ? { enabled: true, adaptive: true, includeThoughts: true }
      : { enabled: true, adaptive: true, effort, includeThoughts: true };
  const out: ReasoningConfig = { enabled: true, budgetTokens: thinking.budget_tokens, includeThoughts: true };
  if (effort !== undefined) out.effort = effort;
  return out;
}
