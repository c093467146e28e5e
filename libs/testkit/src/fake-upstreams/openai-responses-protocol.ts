/** The Responses API endpoint (`POST /v1/responses`) as a generation protocol of the OpenAI fake. */
import type { GenerationProtocol } from "./generation-flow.js";
import { openaiError } from "./openai-error.js";
import { parseResponsesRequest } from "./openai-responses-request.js";
import { renderResponse, renderResponseEvents } from "./openai-responses-response.js";
import { sseEvent } from "./sse.js";

export function openaiResponsesProtocol(): GenerationProtocol {
  return {
    parse(exchange, runtime) {
      const { request, conversation } = parseResponsesRequest(exchange.request.body);
      const input = { conversation, request, ids: runtime.ids, createdAt: Math.floor(Date.now() / 1000) };
      return {
        conversation,
        renderJson: (reply) => renderResponse({ ...input, reply }),
        renderStream: (reply) => ({
          contentType: "text/event-stream; charset=utf-8",
          chunks: renderResponseEvents({ ...input, reply }),
        }),
      };
    },
    toolCallId: (ids) => ids.next("call_"),
    error: (status, message) => openaiError(status, message),
    streamError(status, message, index) {
      const { error } = openaiError(status, message).body as { error: { message: string; code: string | null } };
      return sseEvent("error", {
        type: "error",
        code: error.code ?? "server_error",
        message: error.message,
        param: null,
        sequence_number: index,
      });
    },
    responseHeaders: (runtime) => ({ "x-request-id": runtime.ids.next("req_", 32) }),
  };
}
