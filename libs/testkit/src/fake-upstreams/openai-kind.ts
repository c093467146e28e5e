/**
 * The OpenAI fake (`/v1/chat/completions`, `/v1/responses`, `/v1/embeddings`, `/v1/models`) and the
 * OpenAI-compatible one (the same under a configurable base path, the Responses API only when `responsesApi` is set).
 * Auth: `Authorization: Bearer <key>`, a wrong or missing key gets OpenAI's 401.
 */
import type { FakeExchange } from "./fake-exchange.js";
import type { FakeHandler } from "./fake-server.js";
import type { ResolvedFakeConfig } from "./fake-upstream-config.js";
import { type FakeRuntime, runGeneration } from "./generation-flow.js";
import { openaiChatProtocol } from "./openai-chat-protocol.js";
import { renderEmbeddings } from "./openai-embeddings.js";
import { openaiError, openaiInvalidKey } from "./openai-error.js";
import { renderModelList } from "./openai-models.js";
import { openaiResponsesProtocol } from "./openai-responses-protocol.js";
import { sendComputed, sendJson, sendProviderError } from "./respond.js";

export function createOpenAiHandler(config: ResolvedFakeConfig, runtime: FakeRuntime): FakeHandler {
  const base = config.basePath;
  const chat = openaiChatProtocol({ contentFilter: false, reasoningContent: config.kind === "openai_compatible" });
  const responses = config.responsesApi ? openaiResponsesProtocol() : undefined;
  const models = renderModelList(config.listedModels);

  return async (exchange: FakeExchange) => {
    const { method, path, headers } = exchange.request;
    const presented = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1];
    if (presented !== config.apiKey) {
      await sendProviderError(exchange, openaiInvalidKey(presented));
      return;
    }
    if (method === "POST" && path === `${base}/chat/completions`) return runGeneration(exchange, chat, runtime);
    if (method === "POST" && path === `${base}/responses` && responses !== undefined)
      return runGeneration(exchange, responses, runtime);
    if (method === "POST" && path === `${base}/embeddings`) {
      return sendComputed(
        exchange,
        () => renderEmbeddings(exchange.request.body),
        (status, message) => openaiError(status, message),
      );
    }
    if (method === "GET" && path === `${base}/models`) return sendJson(exchange, 200, models);
    await sendProviderError(exchange, openaiError(404, `Invalid URL (${method} ${path})`, { code: null }));
  };
}
