/**
 * Canonical request → Gemini generateContent body. The model and streaming go in the URL, not the body. Tool
 * schemas travel as JSON Schema (`parametersJsonSchema`, `responseJsonSchema`), so nothing is lost converting them.
 */
import type { AssistantPart, MediaSource, UserPart } from "../../canonical/content.js";
import { guessMediaType } from "../../canonical/media.js";
import { mergeConsecutiveRoles, toolNamesById } from "../../canonical/messages.js";
import { budgetForEffort } from "../../canonical/reasoning-budget.js";
import type { CanonicalRequest } from "../../canonical/request.js";
import { parseToolArguments } from "../../canonical/tool-arguments.js";
import type { EncodeRequestOptions } from "../../encode-options.js";
import { nativeFor, nativeToolsFor } from "../../native-parts.js";
import { applyPassthrough } from "../../passthrough.js";
import { enforceUnmappable, passthroughFor } from "../../unmappable.js";
import { appendTurn } from "../../wire-turns.js";

type Json = Record<string, unknown>;
const TARGET = "gemini";
/**
 * Google's documented stand-in for a missing thought signature: Gemini 3 refuses a history whose function calls
 * lack one, which is every history that another vendor's model produced.
 */
export const SKIP_THOUGHT_SIGNATURE = "skip_thought_signature_validator";

export function encodeGeminiRequest(req: CanonicalRequest, _opts: EncodeRequestOptions): Json {
  const body: Json = {};
  const names = toolNamesById(req.messages);
  const contents: Array<{ role: "user" | "model" } & Json> = [];
  for (const message of mergeConsecutiveRoles(req.messages)) {
    const parts = message.role === "user" ? encodeUserParts(message.content, names) : encodeModelParts(message.content);
    appendTurn(contents, message.role === "user" ? "user" : "model", "parts", parts);
  }
  body.contents = contents;
  if (req.system.length > 0) {
    if (req.system.some((block) => block.cacheControl !== undefined)) enforceUnmappable("cache_control", TARGET);
    body.systemInstruction = { parts: req.system.map((block) => ({ text: block.text })) };
  }
  const declarations = req.tools.map((tool) => {
    if (tool.cacheControl !== undefined) enforceUnmappable("cache_control", TARGET);
    if (tool.strict !== undefined) enforceUnmappable("tool.strict", TARGET);
    const fn: Json = { name: tool.name };
    if (tool.description !== undefined) fn.description = tool.description;
    fn.parametersJsonSchema = tool.parameters;
    return fn;
  });
  const tools: unknown[] = declarations.length > 0 ? [{ functionDeclarations: declarations }] : [];
  tools.push(...nativeToolsFor(req, TARGET));
  if (tools.length > 0) body.tools = tools;
  const choice = req.toolChoice;
  if (choice !== undefined && tools.length > 0) {
    const config: Json =
      choice.type === "tool"
        ? { mode: "ANY", allowedFunctionNames: [choice.name] }
        : { mode: choice.type === "required" ? "ANY" : choice.type === "none" ? "NONE" : "AUTO" };
    body.toolConfig = { functionCallingConfig: config };
  }
  if (req.parallelToolCalls === false) enforceUnmappable("parallel_tool_calls", TARGET);
  const generation = encodeGenerationConfig(req);
  if (Object.keys(generation).length > 0) body.generationConfig = generation;
  if (req.user !== undefined) enforceUnmappable("user", TARGET);
  if (req.metadata !== undefined) enforceUnmappable("metadata", TARGET);
  applyPassthrough(body, passthroughFor(req.passthrough, TARGET));
  return body;
}

function encodeGenerationConfig(req: CanonicalRequest): Json {
  const config: Json = {};
  if (req.maxTokens !== undefined) config.maxOutputTokens = req.maxTokens;
  if (req.temperature !== undefined) config.temperature = req.temperature;
  if (req.topP !== undefined) config.topP = req.topP;
  if (req.topK !== undefined) config.topK = req.topK;
  if (req.stop !== undefined) config.stopSequences = req.stop;
  if (req.presencePenalty !== undefined) config.presencePenalty = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) config.frequencyPenalty = req.frequencyPenalty;
  if (req.seed !== undefined) config.seed = req.seed;
  const format = req.responseFormat;
  if (format?.type === "json_object") config.responseMimeType = "application/json";
  else if (format?.type === "json_schema") {
    config.responseMimeType = "application/json";
    config.responseJsonSchema = format.schema;
  }
  const reasoning = req.reasoning;
  if (reasoning !== undefined) {
    if (!reasoning.enabled) enforceUnmappable("reasoning.disabled", TARGET);
    else {
      // A level alone becomes a budget: every Gemini thinking model takes budgets, only Gemini 3 takes levels.
      const budget = reasoning.budgetTokens ?? (reasoning.effort === undefined ? -1 : budgetForEffort(reasoning.effort));
      config.thinkingConfig = { thinkingBudget: budget, includeThoughts: reasoning.includeThoughts ?? true };
    }
  }
  return config;
}

function encodeMedia(source: MediaSource, fallbackType: string): Json {
  if (source.kind === "base64") return { inlineData: { mimeType: source.mediaType, data: source.data } };
  return { fileData: { mimeType: source.mediaType ?? guessMediaType(source.url, fallbackType), fileUri: source.url } };
}

function encodeUserParts(content: UserPart[], names: Map<string, string>): Json[] {
  const parts: Json[] = [];
  for (const part of content) {
    if ("cacheControl" in part && part.cacheControl !== undefined) enforceUnmappable("cache_control", TARGET);
    switch (part.type) {
      case "text":
        parts.push({ text: part.text });
        break;
      case "image":
        if (part.detail !== undefined) enforceUnmappable("image_detail", TARGET);
        parts.push(encodeMedia(part.source, "image/jpeg"));
        break;
      case "file":
        parts.push(encodeMedia(part.source, "application/pdf"));
        break;
      case "tool_result": {
        const text = part.content.flatMap((item) => (item.type === "text" ? [item.text] : [])).join("\n");
        const name = part.name ?? names.get(part.toolCallId) ?? part.toolCallId;
        parts.push({ functionResponse: { name, response: part.isError === true ? { error: text } : { output: text } } });
        // Function responses hold JSON only; images from the result follow as parts of the same turn.
        for (const item of part.content) if (item.type === "image") parts.push(encodeMedia(item.source, "image/jpeg"));
        break;
      }
      case "native": {
        const raw = nativeFor(part, TARGET);
        if (raw !== undefined) parts.push(raw as Json);
        break;
      }
    }
  }
  return parts;
}

function encodeModelParts(content: AssistantPart[]): Json[] {
  const parts: Json[] = [];
  let firstCall: Json | undefined;
  let signed = false;
  for (const part of content) {
    switch (part.type) {
      case "text": {
        if (part.text === "" && part.thoughtSignature === undefined) break;
        const out: Json = { text: part.text };
        if (part.thoughtSignature !== undefined) out.thoughtSignature = part.thoughtSignature;
        parts.push(out);
        break;
      }
      case "reasoning":
        if (part.thoughtSignature === undefined) enforceUnmappable("reasoning_history", TARGET);
        else parts.push({ text: part.text, thought: true, thoughtSignature: part.thoughtSignature });
        break;
      case "tool_call": {
        // Ids are left out: Gemini matches responses to calls by order and name, and ids it never issued do not help.
        const out: Json = {
          functionCall: { name: part.name, args: parseToolArguments(part.arguments, `the arguments of tool call ${part.id}`) },
        };
        if (part.thoughtSignature !== undefined) {
          out.thoughtSignature = part.thoughtSignature;
          signed = true;
        }
        firstCall ??= out;
        parts.push(out);
        break;
      }
      case "native": {
        const raw = nativeFor(part, TARGET);
        if (raw !== undefined) parts.push(raw as Json);
        break;
      }
    }
  }
  if (firstCall !== undefined && !signed) firstCall.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
  return parts;
}
