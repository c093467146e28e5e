/** OpenAI Responses request → canonical request, validating it first. Consecutive items of one role form one turn. */
import { AppError } from "@thinkwatch/errors";
import type {
  AssistantPart,
  CanonicalMessage,
  ImagePart,
  MediaSource,
  ReasoningPart,
  SystemBlock,
  TextPart,
  UserPart,
} from "../../canonical/content.js";
import { addInstruction } from "../../canonical/instructions.js";
import { guessMediaType, mediaSourceFromUrl } from "../../canonical/media.js";
import { applyReasoningToken, lowerSignatures } from "../../canonical/reasoning-token.js";
import type { CanonicalRequest, CanonicalTool } from "../../canonical/request.js";
import { collectNested } from "../../passthrough.js";
import { unknownFields } from "../../upstream-body.js";
import { parseRequestBody } from "../../validation.js";
import { type ResponsesInputPart, type ResponsesItem, type ResponsesRequest, ResponsesRequestSchema } from "./schema.js";

const KNOWN = new Set([
  "model",
  "input",
  "instructions",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "text",
  "reasoning",
  "max_output_tokens",
  "temperature",
  "top_p",
  "stream",
  "user",
  "metadata",
]);

export function decodeResponsesRequest(body: unknown): CanonicalRequest {
  const req = parseRequestBody(ResponsesRequestSchema, body);
  const system: SystemBlock[] = [];
  if (typeof req.instructions === "string" && req.instructions !== "") system.push({ text: req.instructions });
  const messages: CanonicalMessage[] = [];
  if (typeof req.input === "string") messages.push({ role: "user", content: [{ type: "text", text: req.input }] });
  else for (const item of req.input) decodeItem(item, system, messages);
  for (const message of messages) if (message.role === "assistant") message.content = lowerSignatures(message.content);

  const out: CanonicalRequest = {
    model: req.model,
    system,
    messages,
    tools: [],
    stream: req.stream === true,
    includeUsage: true,
  };
  const passthrough = unknownFields(req, KNOWN) ?? {};
  decodeTools(req, out, passthrough);
  if (typeof req.parallel_tool_calls === "boolean") out.parallelToolCalls = req.parallel_tool_calls;
  if (typeof req.max_output_tokens === "number") out.maxTokens = req.max_output_tokens;
  if (typeof req.temperature === "number") out.temperature = req.temperature;
  if (typeof req.top_p === "number") out.topP = req.top_p;
  const format = req.text?.format;
  if (format) {
    if (format.type === "json_schema") {
      out.responseFormat = { type: "json_schema", name: format.name, schema: format.schema };
      if (typeof format.strict === "boolean") out.responseFormat.strict = format.strict;
      if (typeof format.description === "string") out.responseFormat.description = format.description;
    } else {
      out.responseFormat = { type: format.type };
    }
  }
  collectNested(passthrough, "text", req.text, new Set(["format"]));
  const effort = req.reasoning?.effort;
  if (effort !== undefined && effort !== null) {
    out.reasoning = { enabled: effort !== "none", effort };
    const summary = req.reasoning?.summary;
    if (typeof summary === "string") out.reasoning.includeThoughts = summary !== "none";
  }
  if (typeof req.user === "string") out.user = req.user;
  if (req.metadata) out.metadata = req.metadata;
  if (Object.keys(passthrough).length > 0) out.passthrough = { format: "openai_responses", fields: passthrough };
  return out;
}

function push(messages: CanonicalMessage[], role: "user" | "assistant", part: UserPart | AssistantPart): void {
  const last = messages[messages.length - 1];
  if (last?.role === role) (last.content as Array<UserPart | AssistantPart>).push(part);
  else if (role === "user") messages.push({ role, content: [part as UserPart] });
  else messages.push({ role, content: [part as AssistantPart] });
}

function decodeItem(item: ResponsesItem, system: SystemBlock[], messages: CanonicalMessage[]): void {
  if (!("type" in item) || item.type === undefined || item.type === "message") {
    const message = item as Extract<ResponsesItem, { role: string }>;
    const parts =
      typeof message.content === "string" ? [{ type: "input_text" as const, text: message.content }] : message.content;
    if (message.role === "system" || message.role === "developer") {
      const texts = parts.flatMap((part) => ("text" in part && typeof part.text === "string" ? [part.text] : []));
      // Leading ones form the system prompt; later ones keep their place in the conversation (instructions.ts).
      if (messages.length === 0) for (const text of texts) system.push({ text });
      else addInstruction(messages, message.role, texts.join("\n"));
      return;
    }
    for (const part of parts) {
      const decoded = decodePart(part);
      if (message.role === "assistant" && decoded.type !== "text" && decoded.type !== "native") {
        throw new AppError("validation_failed", "invalid request: assistant messages in input may only contain output_text");
      }
      push(messages, message.role, decoded);
    }
    return;
  }
  switch (item.type) {
    case "function_call": {
      const call = item as Extract<ResponsesItem, { type: "function_call" }>;
      push(messages, "assistant", { type: "tool_call", id: call.call_id, name: call.name, arguments: call.arguments });
      return;
    }
    case "function_call_output": {
      const result = item as Extract<ResponsesItem, { type: "function_call_output" }>;
      const content: Array<TextPart | ImagePart> = [];
      if (typeof result.output === "string") content.push({ type: "text", text: result.output });
      else {
        for (const part of result.output) {
          const decoded = decodePart(part);
          if (decoded.type === "text" || decoded.type === "image") content.push(decoded);
        }
      }
      push(messages, "user", { type: "tool_result", toolCallId: result.call_id, content });
      return;
    }
    case "reasoning": {
      const reasoning = item as Extract<ResponsesItem, { type: "reasoning" }>;
      const part: ReasoningPart = { type: "reasoning", text: (reasoning.summary ?? []).map((s) => s.text).join("\n\n") };
      const encrypted = reasoning.encrypted_content;
      if (!applyReasoningToken(part, encrypted) && typeof encrypted === "string") part.encryptedContent = encrypted;
      push(messages, "assistant", part);
      return;
    }
    default:
      push(messages, "assistant", { type: "native", format: "openai_responses", raw: item });
  }
}

function fileSource(part: Extract<ResponsesInputPart, { type: "input_file" }>): MediaSource | undefined {
  if (typeof part.file_data === "string") {
    if (part.file_data.startsWith("data:")) return mediaSourceFromUrl(part.file_data);
    return { kind: "base64", mediaType: guessMediaType(part.filename ?? "", "application/pdf"), data: part.file_data };
  }
  if (typeof part.file_url === "string") return { kind: "url", url: part.file_url };
  return undefined;
}

function decodePart(part: ResponsesInputPart): UserPart {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: part.text };
    case "refusal":
      return { type: "text", text: part.refusal };
    case "input_image": {
      if (typeof part.image_url !== "string") return { type: "native", format: "openai_responses", raw: part, param: "file_id" };
      const image: ImagePart = { type: "image", source: mediaSourceFromUrl(part.image_url) };
      if (part.detail) image.detail = part.detail;
      return image;
    }
    case "input_file": {
      const source = fileSource(part);
      if (source === undefined) return { type: "native", format: "openai_responses", raw: part, param: "file_id" };
      return typeof part.filename === "string" ? { type: "file", source, filename: part.filename } : { type: "file", source };
    }
  }
}

function decodeTools(req: ResponsesRequest, out: CanonicalRequest, passthrough: Record<string, unknown>): void {
  const native: unknown[] = [];
  for (const tool of req.tools ?? []) {
    if (tool.type === "function" && "name" in tool) {
      const fn = tool as {
        name: string;
        description?: string | null;
        parameters?: Record<string, unknown> | null;
        strict?: boolean | null;
      };
      const canonical: CanonicalTool = { name: fn.name, parameters: fn.parameters ?? { type: "object", properties: {} } };
      if (typeof fn.description === "string") canonical.description = fn.description;
      if (typeof fn.strict === "boolean") canonical.strict = fn.strict;
      out.tools.push(canonical);
    } else {
      native.push(tool);
    }
  }
  if (native.length > 0) out.nativeTools = { format: "openai_responses", tools: native };
  const choice = req.tool_choice;
  if (choice === undefined || choice === null) return;
  if (typeof choice === "string") out.toolChoice = { type: choice };
  else if (choice.type === "function" && "name" in choice) out.toolChoice = { type: "tool", name: String(choice.name) };
  else passthrough.tool_choice = choice;
}
