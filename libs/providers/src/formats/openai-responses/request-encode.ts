/**
 * Canonical request → OpenAI Responses request body, for OpenAI-kind upstreams reached by a client of another format.
 * The gateway stores nothing upstream (`store: false`), so reasoning comes back encrypted and is replayed from the
 * client's history; other vendors' reasoning cannot be verified by OpenAI and is left out.
 */

import { toolResultText } from "../../canonical/instructions.js";
import { mediaSourceToUrl } from "../../canonical/media.js";
import { reasoningToken } from "../../canonical/reasoning-token.js";
import type { CanonicalRequest } from "../../canonical/request.js";
import type { EncodeRequestOptions } from "../../encode-options.js";
import { nativeFor, nativeToolsFor } from "../../native-parts.js";
import { applyPassthrough } from "../../passthrough.js";
import { enforceUnmappable, passthroughFor } from "../../unmappable.js";

type Json = Record<string, unknown>;
const TARGET = "openai_responses";

export function encodeResponsesRequest(req: CanonicalRequest, opts: EncodeRequestOptions): Json {
  const body: Json = { model: opts.upstreamModel };
  if (req.system.length > 0) body.instructions = req.system.map((block) => block.text).join("\n\n");
  const input: Json[] = [];
  for (const message of req.messages) {
    const content: Json[] = [];
    const flush = () => {
      if (content.length > 0) input.push({ type: "message", role: message.role, content: content.splice(0) });
    };
    for (const part of message.content) {
      switch (part.type) {
        case "text":
          if (part.instruction !== undefined) {
            // A mid-conversation system or developer message stays one, in place.
            flush();
            input.push({ type: "message", role: part.instruction, content: [{ type: "input_text", text: part.text }] });
          } else content.push({ type: message.role === "user" ? "input_text" : "output_text", text: part.text });
          break;
        case "image": {
          const image: Json = { type: "input_image", image_url: mediaSourceToUrl(part.source) };
          if (part.detail !== undefined) image.detail = part.detail;
          content.push(image);
          break;
        }
        case "file": {
          const file: Json = { type: "input_file" };
          if (part.source.kind === "url") file.file_url = part.source.url;
          else file.file_data = mediaSourceToUrl(part.source);
          if (part.filename !== undefined) file.filename = part.filename;
          content.push(file);
          break;
        }
        case "tool_result": {
          flush();
          const texts = part.content.filter((item) => item.type === "text");
          const failed = part.isError === true;
          const output =
            texts.length === part.content.length
              ? toolResultText(
                  failed,
                  texts.map((item) => item.text),
                )
              : [
                  ...(failed ? [{ type: "input_text", text: toolResultText(true, []) }] : []),
                  ...part.content.map((item) =>
                    item.type === "text"
                      ? { type: "input_text", text: item.text }
                      : { type: "input_image", image_url: mediaSourceToUrl(item.source) },
                  ),
                ];
          input.push({ type: "function_call_output", call_id: part.toolCallId, output });
          break;
        }
        case "tool_call":
          flush();
          input.push({ type: "function_call", call_id: part.id, name: part.name, arguments: part.arguments });
          break;
        case "reasoning": {
          flush();
          if (part.encryptedContent === undefined) {
            if (part.text !== "" || reasoningToken(part) !== undefined) enforceUnmappable("reasoning_history", TARGET);
            break;
          }
          const summary = part.text === "" ? [] : [{ type: "summary_text", text: part.text }];
          input.push({ type: "reasoning", summary, encrypted_content: part.encryptedContent });
          break;
        }
        case "native": {
          flush();
          const raw = nativeFor(part, TARGET);
          if (raw !== undefined) input.push(raw as Json);
          break;
        }
      }
    }
    flush();
  }
  body.input = input;
  const tools: unknown[] = req.tools.map((tool) => {
    const out: Json = { type: "function", name: tool.name };
    if (tool.description !== undefined) out.description = tool.description;
    out.parameters = tool.parameters;
    if (tool.strict !== undefined) out.strict = tool.strict;
    return out;
  });
  tools.push(...nativeToolsFor(req, TARGET));
  if (tools.length > 0) body.tools = tools;
  if (req.toolChoice !== undefined)
    body.tool_choice = req.toolChoice.type === "tool" ? { type: "function", name: req.toolChoice.name } : req.toolChoice.type;
  if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  if (req.maxTokens !== undefined) body.max_output_tokens = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  const format = req.responseFormat;
  if (format !== undefined) {
    body.text = { format: format.type === "json_schema" ? { ...format } : { type: format.type } };
  }
  if (req.reasoning !== undefined) {
    const effort = req.reasoning.effort === "max" ? "xhigh" : (req.reasoning.effort ?? "medium");
    const reasoning: Json = { effort: req.reasoning.enabled ? effort : "none" };
    // Summaries are the only reasoning text OpenAI shows; clients that cannot say (Chat Completions) get them.
    if (req.reasoning.enabled) reasoning.summary = req.reasoning.includeThoughts === false ? "none" : "auto";
    body.reasoning = reasoning;
    // Without storage upstream, the encrypted reasoning is the only way to carry thinking into the next turn.
    if (req.reasoning.enabled) body.include = ["reasoning.encrypted_content"];
  }
  body.store = false;
  if (req.stream) body.stream = true;
  if (req.user !== undefined) {
    if (req.userFromMetadata !== true || opts.forwardMetadataUser === true) body.user = req.user;
    else enforceUnmappable("metadata.user_id", TARGET);
  }
  if (req.metadata !== undefined) body.metadata = req.metadata;
  applyPassthrough(body, passthroughFor(req.passthrough, TARGET));
  return body;
}
