/** OpenAI Responses response object ⇄ canonical response. */
import type { ReasoningPart } from "../../canonical/content.js";
import { applyReasoningToken, liftSignatures, lowerSignatures } from "../../canonical/reasoning-token.js";
import type { CanonicalResponse, OutputPart } from "../../canonical/response.js";
import { emptyUsage } from "../../canonical/usage.js";
import type { EncodeResponseOptions } from "../../encode-options.js";
import { parseUpstreamBody } from "../../upstream-body.js";
import { finishReasonFromResponses, statusForFinish, usageFromResponses } from "./mapping.js";
import { functionCallItem, messageItem, reasoningItem, responseObject } from "./response-object.js";
import { ResponsesResponseSchema } from "./schema.js";

export function decodeResponsesResponse(body: unknown): CanonicalResponse {
  const res = parseUpstreamBody(ResponsesResponseSchema, body, "the OpenAI Responses upstream");
  const content: OutputPart[] = [];
  for (const item of res.output as Array<Record<string, unknown>>) {
    if (item.type === "message" && Array.isArray(item.content)) {
      for (const part of item.content as Array<Record<string, unknown>>) {
        if ((part.type === "output_text" || part.type === "refusal") && typeof (part.text ?? part.refusal) === "string") {
          content.push({ type: "text", text: String(part.text ?? part.refusal) });
        }
      }
    } else if (item.type === "function_call") {
      content.push({
        type: "tool_call",
        id: String(item.call_id ?? ""),
        name: String(item.name ?? ""),
        arguments: String(item.arguments ?? ""),
      });
    } else if (item.type === "reasoning") {
      const summary = Array.isArray(item.summary) ? (item.summary as Array<{ text?: unknown }>) : [];
      const part: ReasoningPart = {
        type: "reasoning",
        text: summary.map((s) => (typeof s.text === "string" ? s.text : "")).join("\n\n"),
      };
      const encrypted = item.encrypted_content;
      if (!applyReasoningToken(part, encrypted as string | undefined) && typeof encrypted === "string")
        part.encryptedContent = encrypted;
      content.push(part);
    }
  }
  const hasToolCalls = content.some((part) => part.type === "tool_call");
  return {
    id: res.id ?? "",
    model: res.model ?? "",
    content: lowerSignatures(content) as OutputPart[],
    finishReason: finishReasonFromResponses(res.status, res.incomplete_details?.reason, hasToolCalls),
    usage: res.usage ? usageFromResponses(res.usage) : emptyUsage(),
  };
}

export function encodeResponsesResponse(res: CanonicalResponse, opts: EncodeResponseOptions): Record<string, unknown> {
  const output: Record<string, unknown>[] = [];
  let n = 0;
  const itemId = (prefix: string) => `${prefix}_${opts.requestId}_${n++}`;
  let pendingText: string[] = [];
  const flushText = () => {
    if (pendingText.length === 0) return;
    output.push(messageItem(itemId("msg"), pendingText.join(""), "completed"));
    pendingText = [];
  };
  // Function calls and text have no signature slot in Responses: a Gemini signature rides a reasoning item before them.
  for (const part of liftSignatures(res.content)) {
    if (part.type === "text") pendingText.push(part.text);
    else {
      flushText();
      if (part.type === "reasoning") output.push(reasoningItem(itemId("rs"), part));
      else output.push(functionCallItem(itemId("fc"), part.id, part.name, part.arguments, "completed"));
    }
  }
  flushText();
  const { status, incomplete_details } = statusForFinish(res.finishReason);
  return responseObject({
    id: `resp_${opts.requestId}`,
    model: opts.model,
    createdAt: opts.created ?? Math.floor(Date.now() / 1000),
    status,
    output,
    usage: res.usage,
    incompleteDetails: incomplete_details,
  });
}
