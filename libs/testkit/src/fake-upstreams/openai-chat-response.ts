/**
 * Rendering the fake model's reply as an OpenAI Chat Completions response: the `chat.completion` object, or the
 * `chat.completion.chunk` SSE stream (role chunk, content / tool-call deltas, finish chunk, optional usage chunk,
 * `[DONE]`). Azure adds content-filter results; some OpenAI-compatible servers stream `reasoning_content`.
 */
import type { FakeConversation, FakeReply } from "./conversation.js";
import type { FakeUsage, FinishReason } from "./fake-script.js";
import { sseData } from "./sse.js";
import { splitArguments, splitText } from "./stream-pieces.js";

export interface ChatFlavor {
  /** Azure's `prompt_filter_results` / `content_filter_results`. */
  contentFilter: boolean;
  /** Reasoning text as `reasoning_content` (DeepSeek-style OpenAI-compatible servers). */
  reasoningContent: boolean;
}

export interface ChatRenderInput {
  id: string;
  created: number;
  reply: FakeReply;
  conversation: FakeConversation;
  flavor: ChatFlavor;
}

const FINISH: Record<FinishReason, string> = {
  stop: "stop",
  length: "length",
  tool_calls: "tool_calls",
  content_filter: "content_filter",
};
const SAFE = { filtered: false, severity: "safe" };
const FILTER_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
const PROMPT_FILTER_RESULTS = [
  { prompt_index: 0, content_filter_results: { ...FILTER_RESULTS, jailbreak: { filtered: false, detected: false } } },
];

export function chatUsage(usage: FakeUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function renderChatCompletion({ id, created, reply, conversation, flavor }: ChatRenderInput): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: "assistant",
    content: reply.text === "" && reply.toolCalls.length > 0 ? null : reply.text,
    refusal: null,
    annotations: [],
  };
  if (flavor.reasoningContent && reply.reasoning !== undefined) message.reasoning_content = reply.reasoning;
  if (reply.toolCalls.length > 0) {
    message.tool_calls = reply.toolCalls.map((c) => ({
      id: c.id,
      type: "function",
      function: { name: c.name, arguments: c.arguments },
    }));
  }
  const choice: Record<string, unknown> = { index: 0, message, logprobs: null, finish_reason: FINISH[reply.finishReason] };
  if (flavor.contentFilter) choice.content_filter_results = FILTER_RESULTS;
  const body: Record<string, unknown> = {
    id,
    object: "chat.completion",
    created,
    model: conversation.model,
    choices: [choice],
    usage: chatUsage(reply.usage),
    service_tier: "default",
    system_fingerprint: "fp_fake",
  };
  if (flavor.contentFilter) body.prompt_filter_results = PROMPT_FILTER_RESULTS;
  return body;
}

export function renderChatChunks({ id, created, reply, conversation, flavor }: ChatRenderInput, includeUsage: boolean): string[] {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => {
    const choice: Record<string, unknown> = { index: 0, delta, logprobs: null, finish_reason: finishReason };
    if (flavor.contentFilter) choice.content_filter_results = finishReason === null ? FILTER_RESULTS : {};
    const body: Record<string, unknown> = {
      id,
      object: "chat.completion.chunk",
      created,
      model: conversation.model,
      service_tier: "default",
      system_fingerprint: "fp_fake",
      choices: [choice],
    };
    if (includeUsage) body.usage = null;
    return sseData(body);
  };

  const out: string[] = [];
  if (flavor.contentFilter) {
    // Azure opens with a chunk that has no choices, only the prompt's filter results.
    out.push(sseData({ choices: [], created: 0, id: "", model: "", object: "", prompt_filter_results: PROMPT_FILTER_RESULTS }));
  }
  const textFirst = reply.text !== "" || reply.toolCalls.length === 0;
  out.push(chunk({ role: "assistant", content: textFirst ? "" : null, refusal: null }));
  if (flavor.reasoningContent && reply.reasoning !== undefined) {
    for (const piece of splitText(reply.reasoning)) out.push(chunk({ reasoning_content: piece }));
  }
  for (const piece of splitText(reply.text)) out.push(chunk({ content: piece }));
  reply.toolCalls.forEach((call, index) => {
    out.push(chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }] }));
    for (const fragment of splitArguments(call.arguments))
      out.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
  });
  out.push(chunk({}, FINISH[reply.finishReason]));
  if (includeUsage) {
    out.push(
      sseData({
        id,
        object: "chat.completion.chunk",
        created,
        model: conversation.model,
        service_tier: "default",
        system_fingerprint: "fp_fake",
        choices: [],
        usage: chatUsage(reply.usage),
      }),
    );
  }
  out.push(sseData("[DONE]"));
  return out;
}
