/** Bedrock Converse response ⇄ canonical response. Converse replies carry no id or model; the caller knows both. */
import type { CanonicalResponse, OutputPart } from "../../canonical/response.js";
import { stringifyToolArguments } from "../../canonical/tool-arguments.js";
import { sanitizeToolId } from "../../canonical/tool-id.js";
import { emptyUsage } from "../../canonical/usage.js";
import type { EncodeResponseOptions } from "../../encode-options.js";
import { parseUpstreamBody } from "../../upstream-body.js";
import { finishReasonFromBedrock, finishReasonToBedrock, usageFromBedrock, usageToBedrock } from "./mapping.js";
import { BedrockResponseSchema } from "./schema.js";

export function decodeBedrockResponse(body: unknown): CanonicalResponse {
  const res = parseUpstreamBody(BedrockResponseSchema, body, "the Bedrock upstream");
  const content: OutputPart[] = [];
  for (const block of res.output.message?.content ?? []) {
    if (typeof block.text === "string") content.push({ type: "text", text: block.text });
    else if (block.toolUse) {
      content.push({
        type: "tool_call",
        id: block.toolUse.toolUseId,
        name: block.toolUse.name,
        arguments: stringifyToolArguments(block.toolUse.input),
      });
    } else if (block.reasoningContent?.redactedContent !== undefined) {
      content.push({ type: "reasoning", text: "", redactedData: block.reasoningContent.redactedContent });
    } else if (block.reasoningContent?.reasoningText) {
      const { text, signature } = block.reasoningContent.reasoningText;
      content.push(signature === undefined ? { type: "reasoning", text } : { type: "reasoning", text, signature });
    }
  }
  return {
    id: "",
    model: "",
    content,
    finishReason: finishReasonFromBedrock(res.stopReason),
    usage: res.usage ? usageFromBedrock(res.usage) : emptyUsage(),
  };
}

/** Bedrock is never a client format; encoding exists for symmetric tests and fake upstreams. */
export function encodeBedrockResponse(res: CanonicalResponse, _opts: EncodeResponseOptions): Record<string, unknown> {
  const content = res.content.map((part) => {
    if (part.type === "text") return { text: part.text };
    if (part.type === "reasoning") {
      if (part.redactedData !== undefined) return { reasoningContent: { redactedContent: part.redactedData } };
      const text: Record<string, unknown> = { text: part.text };
      if (part.signature !== undefined) text.signature = part.signature;
      return { reasoningContent: { reasoningText: text } };
    }
    return {
      toolUse: {
        toolUseId: sanitizeToolId(part.id),
        name: part.name,
        input: JSON.parse(part.arguments === "" ? "{}" : part.arguments),
      },
    };
  });
  return {
    output: { message: { role: "assistant", content } },
    stopReason: finishReasonToBedrock(res.finishReason),
    usage: usageToBedrock(res.usage),
    metrics: { latencyMs: 0 },
  };
}
