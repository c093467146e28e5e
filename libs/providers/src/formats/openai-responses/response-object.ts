/** Builds the Responses `response` object and its output items; shared by the JSON reply and the stream's events. */
import type { ReasoningPart } from "../../canonical/content.js";
import { reasoningToken } from "../../canonical/reasoning-token.js";
import type { CanonicalUsage } from "../../canonical/usage.js";
import { usageToResponses } from "./mapping.js";

type Json = Record<string, unknown>;

export interface ResponseObjectInput {
  id: string;
  model: string;
  createdAt: number;
  status: "in_progress" | "completed" | "incomplete" | "failed";
  output: Json[];
  usage?: CanonicalUsage;
  incompleteDetails?: { reason: string } | null;
  error?: { code: string; message: string } | null;
}

export function responseObject(input: ResponseObjectInput): Json {
  return {
    id: input.id,
    object: "response",
    created_at: input.createdAt,
    status: input.status,
    error: input.error ?? null,
    incomplete_details: input.incompleteDetails ?? null,
    instructions: null,
    max_output_tokens: null,
    model: input.model,
    output: input.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    truncation: "disabled",
    usage: input.usage === undefined ? null : usageToResponses(input.usage),
    metadata: {},
  };
}

export function messageItem(id: string, text: string, status: "in_progress" | "completed"): Json {
  return {
    id,
    type: "message",
    status,
    role: "assistant",
    content: status === "in_progress" ? [] : [outputTextPart(text)],
  };
}

export function outputTextPart(text: string): Json {
  return { type: "output_text", text, annotations: [], logprobs: [] };
}

export function functionCallItem(
  id: string,
  callId: string,
  name: string,
  args: string,
  status: "in_progress" | "completed",
): Json {
  return { id, type: "function_call", status, arguments: args, call_id: callId, name };
}

export function reasoningItem(id: string, part: ReasoningPart | undefined): Json {
  const item: Json = {
    id,
    type: "reasoning",
    summary: part !== undefined && part.text !== "" ? [{ type: "summary_text", text: part.text }] : [],
  };
  // OpenAI's own encrypted reasoning goes back as it came; other vendors' tokens are prefixed.
  const token =
    part === undefined
      ? undefined
      : part.carries === undefined
        ? (part.encryptedContent ?? reasoningToken(part))
        : reasoningToken(part);
  if (token !== undefined) item.encrypted_content = token;
  return item;
}
