/** OpenAI Chat Completions request → canonical request (validating it first). */
import type { AssistantPart, CanonicalMessage, ImagePart, SystemBlock, TextPart, UserPart } from "../../canonical/content.js";
import { addInstruction } from "../../canonical/instructions.js";
import { mediaSourceFromUrl } from "../../canonical/media.js";
import { lowerSignatures } from "../../canonical/reasoning-token.js";
import type { CanonicalRequest, CanonicalTool, ReasoningConfig, ResponseFormat, ToolChoice } from "../../canonical/request.js";
import { unknownFields } from "../../upstream-body.js";
import { parseRequestBody } from "../../validation.js";
import { type OpenAiChatRequest, OpenAiChatRequestSchema, type OpenAiMessage, type OpenAiUserPart } from "./schema.js";
import { decodeThinkingBlocks } from "./thinking-blocks.js";

const KNOWN = new Set([
  "model",
  "messages",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "functions",
  "function_call",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "frequency_penalty",
  "presence_penalty",
  "seed",
  "stop",
  "response_format",
  "reasoning_effort",
  "stream",
  "stream_options",
  "user",
  "metadata",
]);

export function decodeOpenAiChatRequest(body: unknown): CanonicalRequest {
  const req = parseRequestBody(OpenAiChatRequestSchema, body);
  const system: SystemBlock[] = [];
  const messages: CanonicalMessage[] = [];
  for (const message of req.messages) decodeMessage(message, system, messages);

  const out: CanonicalRequest = {
    model: req.model,
    system,
    messages,
    tools: [],
    stream: req.stream === true,
    includeUsage: req.stream_options?.include_usage === true,
  };
  const passthrough = unknownFields(req, KNOWN) ?? {};
  decodeTools(req, out, passthrough);
  if (typeof req.parallel_tool_calls === "boolean") out.parallelToolCalls = req.parallel_tool_calls;
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (typeof maxTokens === "number") out.maxTokens = maxTokens;
  if (typeof req.temperature === "number") out.temperature = req.temperature;
  if (typeof req.top_p === "number") out.topP = req.top_p;
  if (typeof req.frequency_penalty === "number") out.frequencyPenalty = req.frequency_penalty;
  if (typeof req.presence_penalty === "number") out.presencePenalty = req.presence_penalty;
  if (typeof req.seed === "number") out.seed = req.seed;
  if (typeof req.stop === "string") out.stop = [req.stop];
  else if (Array.isArray(req.stop) && req.stop.length > 0) out.stop = req.stop;
  const responseFormat = decodeResponseFormat(req.response_format);
  if (responseFormat !== undefined) out.responseFormat = responseFormat;
  if (req.reasoning_effort !== undefined && req.reasoning_effort !== null) {
    const reasoning: ReasoningConfig = { enabled: req.reasoning_effort !== "none", effort: req.reasoning_effort };
    out.reasoning = reasoning;
  }
  if (typeof req.user === "string") out.user = req.user;
  if (req.metadata !== undefined && req.metadata !== null) out.metadata = req.metadata;
  if (Object.keys(passthrough).length > 0) out.passthrough = { format: "openai_chat", fields: passthrough };
  return out;
}

function textOf(content: string | Array<{ text: string }>): string {
  return typeof content === "string" ? content : content.map((part) => part.text).join("");
}

function decodeMessage(message: OpenAiMessage, system: SystemBlock[], messages: CanonicalMessage[]): void {
  switch (message.role) {
    case "system":
    case "developer": {
      const texts = typeof message.content === "string" ? [message.content] : message.content.map((part) => part.text);
      // Leading ones form the system prompt; later ones keep their place in the conversation (instructions.ts).
      if (messages.length === 0) for (const text of texts) system.push({ text });
      else addInstruction(messages, message.role, texts.join("\n"));
      return;
    }
    case "user":
      messages.push({
        role: "user",
        content:
          typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content.map(decodeUserPart),
      });
      return;
    case "assistant": {
      let content: AssistantPart[] = [];
      // Signed blocks supersede the plain reasoning text, which they repeat.
      if (message.thinking_blocks !== undefined && message.thinking_blocks !== null && message.thinking_blocks.length > 0) {
        content.push(...decodeThinkingBlocks(message.thinking_blocks));
      } else if (typeof message.reasoning_content === "string" && message.reasoning_content !== "") {
        content.push({ type: "reasoning", text: message.reasoning_content });
      }
      if (typeof message.content === "string") {
        if (message.content !== "") content.push({ type: "text", text: message.content });
      } else if (Array.isArray(message.content)) {
        for (const part of message.content) content.push({ type: "text", text: part.type === "text" ? part.text : part.refusal });
      }
      for (const call of message.tool_calls ?? []) {
        const part: AssistantPart = {
          type: "tool_call",
          id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        };
        const signature = call.extra_content?.google?.thought_signature;
        if (signature !== undefined) part.thoughtSignature = signature;
        content.push(part);
      }
      if (message.function_call) {
        const { name, arguments: args } = message.function_call;
        content.push({ type: "tool_call", id: name, name, arguments: args });
      }
      content = lowerSignatures(content);
      messages.push({ role: "assistant", content });
      return;
    }
    case "tool":
      messages.push({
        role: "user",
        content: [
          { type: "tool_result", toolCallId: message.tool_call_id, content: [{ type: "text", text: textOf(message.content) }] },
        ],
      });
      return;
    case "function":
      // Legacy function results carry no call id; the name stands in for it on both sides.
      messages.push({
        role: "user",
        content: [
          {
            type: "tool_result",
            toolCallId: message.name,
            name: message.name,
            content: [{ type: "text", text: message.content ?? "" }],
          },
        ],
      });
      return;
  }
}

function decodeUserPart(part: OpenAiUserPart): UserPart {
  switch (part.type) {
    case "text":
      return { type: "text", text: part.text } satisfies TextPart;
    case "image_url": {
      const image: ImagePart = { type: "image", source: mediaSourceFromUrl(part.image_url.url) };
      if (part.image_url.detail !== undefined) image.detail = part.image_url.detail;
      return image;
    }
    case "input_audio":
      return {
        type: "file",
        source: { kind: "base64", mediaType: audioMediaType(part.input_audio.format), data: part.input_audio.data },
      };
    case "file": {
      const data = part.file.file_data;
      if (data === undefined) return { type: "native", format: "openai_chat", raw: part, param: "file_id" };
      const source = mediaSourceFromUrl(data);
      return part.file.filename === undefined ? { type: "file", source } : { type: "file", source, filename: part.file.filename };
    }
  }
}

function audioMediaType(format: string): string {
  return format === "mp3" ? "audio/mpeg" : `audio/${format}`;
}

function decodeTools(req: OpenAiChatRequest, out: CanonicalRequest, passthrough: Record<string, unknown>): void {
  const native: unknown[] = [];
  for (const tool of req.tools ?? []) {
    if (tool.type === "function" && "function" in tool) {
      const fn = tool.function as {
        name: string;
        description?: string;
        parameters?: Record<string, unknown>;
        strict?: boolean | null;
      };
      out.tools.push(functionTool(fn));
    } else {
      native.push(tool);
    }
  }
  for (const fn of req.functions ?? []) out.tools.push(functionTool(fn));
  if (native.length > 0) out.nativeTools = { format: "openai_chat", tools: native };

  const choice = req.tool_choice ?? legacyChoice(req.function_call);
  if (choice === undefined || choice === null) return;
  if (typeof choice === "string") out.toolChoice = { type: choice === "required" ? "required" : choice } as ToolChoice;
  else if (choice.type === "function" && "function" in choice)
    out.toolChoice = { type: "tool", name: (choice.function as { name: string }).name };
  else passthrough.tool_choice = choice;
}

function legacyChoice(choice: OpenAiChatRequest["function_call"]): OpenAiChatRequest["tool_choice"] {
  if (choice === undefined || choice === null) return undefined;
  if (typeof choice === "string") return choice;
  return { type: "function", function: { name: choice.name } };
}

function functionTool(fn: {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean | null;
}): CanonicalTool {
  const tool: CanonicalTool = { name: fn.name, parameters: fn.parameters ?? { type: "object", properties: {} } };
  if (fn.description !== undefined) tool.description = fn.description;
  if (typeof fn.strict === "boolean") tool.strict = fn.strict;
  return tool;
}

function decodeResponseFormat(format: OpenAiChatRequest["response_format"]): ResponseFormat | undefined {
  if (format === undefined || format === null) return undefined;
  if (format.type === "text") return { type: "text" };
  if (format.type === "json_object") return { type: "json_object" };
  const spec = format.json_schema;
  const out: ResponseFormat = { type: "json_schema", name: spec.name, schema: spec.schema ?? {} };
  if (typeof spec.strict === "boolean") out.strict = spec.strict;
  if (spec.description !== undefined) out.description = spec.description;
  return out;
}
