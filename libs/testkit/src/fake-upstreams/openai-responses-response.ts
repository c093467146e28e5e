/**
 * Rendering the fake model's reply as an OpenAI Responses API `response` object, or as its SSE event sequence
 * (response.created → in_progress → per output item: added, part/summary/argument deltas and dones → item done →
 * response.completed / response.incomplete), every event numbered by `sequence_number`.
 */
import type { FakeConversation, FakeReply } from "./conversation.js";
import type { FakeUsage } from "./fake-script.js";
import type { IdSource } from "./id-source.js";
import type { ResponsesRequest } from "./openai-responses-request.js";
import { sseEvent } from "./sse.js";
import { splitArguments, splitText } from "./stream-pieces.js";

type Item = Record<string, unknown> & { id: string; type: string };

export interface ResponsesRenderInput {
  reply: FakeReply;
  conversation: FakeConversation;
  request: ResponsesRequest;
  ids: IdSource;
  createdAt: number;
}

export function renderResponse(input: ResponsesRenderInput): Record<string, unknown> {
  return responseObject(input, responseId(input), outputItems(input), true);
}

export function renderResponseEvents(input: ResponsesRenderInput): string[] {
  const id = responseId(input);
  const items = outputItems(input);
  const events: string[] = [];
  const emit = (type: string, payload: Record<string, unknown>) => {
    events.push(sseEvent(type, { type, sequence_number: events.length, ...payload }));
  };
  const started = responseObject(input, id, [], false);
  emit("response.created", { response: started });
  emit("response.in_progress", { response: started });

  items.forEach((item, output_index) => {
    const at = { item_id: item.id, output_index };
    if (item.type === "reasoning") {
      emit("response.output_item.added", { output_index, item: { ...item, summary: [] } });
      for (const [summary_index, summary] of (item.summary as { text: string }[]).entries()) {
        emit("response.reasoning_summary_part.added", { ...at, summary_index, part: { type: "summary_text", text: "" } });
        for (const delta of splitText(summary.text))
          emit("response.reasoning_summary_text.delta", { ...at, summary_index, delta });
        emit("response.reasoning_summary_text.done", { ...at, summary_index, text: summary.text });
        emit("response.reasoning_summary_part.done", {
          ...at,
          summary_index,
          part: { type: "summary_text", text: summary.text },
        });
      }
    } else if (item.type === "message") {
      const text = (item.content as { text: string }[])[0]?.text ?? "";
      const at0 = { ...at, content_index: 0 };
      emit("response.output_item.added", { output_index, item: { ...item, status: "in_progress", content: [] } });
      emit("response.content_part.added", { ...at0, part: { type: "output_text", text: "", annotations: [], logprobs: [] } });
      for (const delta of splitText(text)) emit("response.output_text.delta", { ...at0, delta, logprobs: [] });
      emit("response.output_text.done", { ...at0, text, logprobs: [] });
      emit("response.content_part.done", { ...at0, part: { type: "output_text", text, annotations: [], logprobs: [] } });
    } else {
      const args = String(item.arguments);
      emit("response.output_item.added", { output_index, item: { ...item, status: "in_progress", arguments: "" } });
      for (const delta of splitArguments(args)) emit("response.function_call_arguments.delta", { ...at, delta });
      emit("response.function_call_arguments.done", { ...at, name: item.name, arguments: args });
    }
    emit("response.output_item.done", { output_index, item });
  });

  const final = responseObject(input, id, items, true);
  emit(final.status === "completed" ? "response.completed" : "response.incomplete", { response: final });
  return events;
}

function responseId(input: ResponsesRenderInput): string {
  return input.ids.next("resp_", 48);
}

function outputItems({ reply, request, ids }: ResponsesRenderInput): Item[] {
  const items: Item[] = [];
  if (reply.reasoning !== undefined) {
    const showSummary = request.reasoning?.summary !== undefined && request.reasoning?.summary !== null;
    const item: Item = {
      id: ids.next("rs_", 48),
      type: "reasoning",
      summary: showSummary ? [{ type: "summary_text", text: reply.reasoning }] : [],
    };
    if (Array.isArray(request.include) && request.include.includes("reasoning.encrypted_content"))
      item.encrypted_content = reply.reasoningSignature;
    items.push(item);
  }
  if (reply.text !== "" || reply.toolCalls.length === 0) {
    items.push({
      id: ids.next("msg_", 48),
      type: "message",
      status: reply.finishReason === "stop" || reply.finishReason === "tool_calls" ? "completed" : "incomplete",
      role: "assistant",
      content: [{ type: "output_text", text: reply.text, annotations: [], logprobs: [] }],
    });
  }
  for (const call of reply.toolCalls) {
    items.push({
      id: ids.next("fc_", 48),
      type: "function_call",
      status: "completed",
      arguments: call.arguments,
      call_id: call.id,
      name: call.name,
    });
  }
  return items;
}

function responseObject(
  input: ResponsesRenderInput,
  id: string,
  output: Item[],
  finished: boolean,
): Record<string, unknown> & { status: string } {
  const { reply, conversation, request } = input;
  const incomplete = reply.finishReason === "length" || reply.finishReason === "content_filter";
  const status = !finished ? "in_progress" : incomplete ? "incomplete" : "completed";
  return {
    id,
    object: "response",
    created_at: input.createdAt,
    status,
    background: false,
    error: null,
    incomplete_details:
      finished && incomplete ? { reason: reply.finishReason === "length" ? "max_output_tokens" : "content_filter" } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: conversation.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? null },
    service_tier: "default",
    store: true,
    temperature: 1,
    text: { format: { type: "text" }, verbosity: "medium" },
    tool_choice: "auto",
    tools: request.tools ?? [],
    top_p: 1,
    truncation: "disabled",
    usage: finished ? responsesUsage(reply.usage) : null,
    user: null,
    metadata: {},
  };
}

function responsesUsage(usage: FakeUsage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}
