/** The Chat Completions endpoint as a generation protocol, shared by OpenAI, Azure and OpenAI-compatible fakes. */
import type { GenerationProtocol } from "./generation-flow.js";
import { parseChatRequest } from "./openai-chat-request.js";
import { type ChatFlavor, renderChatChunks, renderChatCompletion } from "./openai-chat-response.js";
import { openaiError } from "./openai-error.js";
import { sseData } from "./sse.js";

/** `modelFromPath` reads Azure's deployment out of the URL; OpenAI and compatible servers take the body's model. */
export function openaiChatProtocol(flavor: ChatFlavor, modelFromPath?: (path: string) => string | undefined): GenerationProtocol {
  return {
    parse(exchange, runtime) {
      const { request, conversation } = parseChatRequest(exchange.request.body, modelFromPath?.(exchange.request.path));
      const id = runtime.ids.next("chatcmpl-", 29);
      const created = Math.floor(Date.now() / 1000);
      return {
        conversation,
        renderJson: (reply) => renderChatCompletion({ id, created, reply, conversation, flavor }),
        renderStream: (reply) => ({
          contentType: "text/event-stream; charset=utf-8",
          chunks: renderChatChunks({ id, created, reply, conversation, flavor }, request.stream_options?.include_usage === true),
        }),
      };
    },
    toolCallId: (ids) => ids.next("call_"),
    error: (status, message) => openaiError(status, message),
    // OpenAI reports a failure mid-stream as a data event holding an error object, without [DONE].
    streamError: (status, message) => sseData(openaiError(status, message).body),
    responseHeaders: (runtime) => ({ "x-request-id": runtime.ids.next("req_", 32) }),
  };
}
