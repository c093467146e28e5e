/**
 * The Anthropic fake: `POST /v1/messages` (JSON or SSE), `POST /v1/messages/count_tokens`, `GET /v1/models`.
 * Auth: `x-api-key`, or `Authorization: Bearer <key>` as the SDK sends it since API version 2026-10-21 (wrong or
 * missing → 401 authentication_error); `anthropic-version` is required (→ 400).
 */
import { anthropicError } from "./anthropic-error.js";
import { parseCountTokensRequest, parseMessagesRequest } from "./anthropic-request.js";
import { renderMessage, renderMessageEvents } from "./anthropic-response.js";
import type { FakeExchange } from "./fake-exchange.js";
import type { FakeHandler } from "./fake-server.js";
import type { ResolvedFakeConfig } from "./fake-upstream-config.js";
import { type FakeRuntime, type GenerationProtocol, runGeneration } from "./generation-flow.js";
import { sendComputed, sendJson, sendProviderError } from "./respond.js";
import { sseEvent } from "./sse.js";
import { countInputTokens } from "./usage-rule.js";

const MODELS_CREATED_AT = "2025-01-01T00:00:00Z";

export function createAnthropicHandler(config: ResolvedFakeConfig, runtime: FakeRuntime): FakeHandler {
  const requestId = () => runtime.ids.next("req_");
  const error = (status: number, message?: string) => anthropicError(status, message, requestId());
  const messages: GenerationProtocol = {
    parse(exchange) {
      const conversation = parseMessagesRequest(exchange.request.body);
      const id = runtime.ids.next("msg_");
      return {
        conversation,
        renderJson: (reply) => renderMessage(id, reply, conversation),
        renderStream: (reply) => ({
          contentType: "text/event-stream; charset=utf-8",
          chunks: renderMessageEvents(id, reply, conversation),
        }),
      };
    },
    toolCallId: (ids) => ids.next("toolu_"),
    error,
    streamError(status, message) {
      const { error: detail } = anthropicError(status, message, "").body as { error: Record<string, unknown> };
      return sseEvent("error", { type: "error", error: detail });
    },
    responseHeaders: () => ({ "request-id": requestId() }),
  };
  const models = {
    data: config.listedModels.map((id) => ({ type: "model", id, display_name: id, created_at: MODELS_CREATED_AT })),
    has_more: false,
    first_id: config.listedModels[0] ?? null,
    last_id: config.listedModels.at(-1) ?? null,
  };

  return async (exchange: FakeExchange) => {
    const { method, path, headers } = exchange.request;
    const presented = headers["x-api-key"] ?? /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1];
    if (presented !== config.apiKey) {
      await sendProviderError(
        exchange,
        error(401, presented === undefined ? "x-api-key header is required" : "invalid x-api-key"),
      );
      return;
    }
    if (headers["anthropic-version"] === undefined) {
      await sendProviderError(exchange, error(400, "anthropic-version: header is required"));
      return;
    }
    if (method === "POST" && path === "/v1/messages") return runGeneration(exchange, messages, runtime);
    if (method === "POST" && path === "/v1/messages/count_tokens") {
      return sendComputed(
        exchange,
        () => ({ input_tokens: countInputTokens(parseCountTokensRequest(exchange.request.body)) }),
        error,
      );
    }
    if (method === "GET" && path === "/v1/models") return sendJson(exchange, 200, models);
    await sendProviderError(exchange, error(404, "Not Found"));
  };
}
