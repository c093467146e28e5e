/**
 * The Gemini API fake: `POST /v1beta/models/{model}:generateContent | :streamGenerateContent[?alt=sse] |
 * :countTokens | :embedContent | :batchEmbedContents` (also under /v1) and `GET /v1beta/models`.
 * Auth: `x-goog-api-key` header or `?key=`.
 */
import type { FakeExchange } from "./fake-exchange.js";
import type { FakeHandler } from "./fake-server.js";
import type { ResolvedFakeConfig } from "./fake-upstream-config.js";
import { renderBatchEmbedContents, renderEmbedContent } from "./gemini-embeddings.js";
import { geminiError, geminiInvalidKey, geminiMissingKey } from "./gemini-error.js";
import { parseCountTokensRequest, parseGenerateContentRequest } from "./gemini-request.js";
import { renderGenerateContent, renderGenerateContentChunks } from "./gemini-response.js";
import { type FakeRuntime, type GenerationProtocol, runGeneration } from "./generation-flow.js";
import { sendComputed, sendJson, sendProviderError } from "./respond.js";
import { sseData } from "./sse.js";
import { countInputTokens } from "./usage-rule.js";

const ROUTE = /^\/(v1beta|v1)\/models\/([^/:]+):([A-Za-z]+)$/;
const MODELS = /^\/(v1beta|v1)\/models$/;

export function createGeminiHandler(config: ResolvedFakeConfig, runtime: FakeRuntime): FakeHandler {
  const protocol = (model: string, stream: boolean, sse: boolean): GenerationProtocol => ({
    parse(exchange) {
      const conversation = parseGenerateContentRequest(exchange.request.body, model, stream);
      const responseId = runtime.ids.next("", 22);
      return {
        conversation,
        renderJson: (reply) => renderGenerateContent(responseId, reply, conversation),
        renderStream: (reply) => ({
          contentType: sse ? "text/event-stream" : "application/json; charset=UTF-8",
          chunks: renderGenerateContentChunks(responseId, reply, conversation, sse),
        }),
      };
    },
    toolCallId: (ids) => ids.next("call_", 16),
    error: (status, message) => geminiError(status, message),
    streamError(status, message, index) {
      const body = geminiError(status, message).body;
      if (sse) return sseData(body, "\r\n\r\n");
      return `${index === 0 ? "[" : ",\r\n"}${JSON.stringify(body)}]`;
    },
  });
  const models = {
    models: config.listedModels.map((id) => ({
      name: `models/${id}`,
      displayName: id,
      supportedGenerationMethods: id.includes("embedding")
        ? ["embedContent", "batchEmbedContents"]
        : ["generateContent", "countTokens"],
    })),
  };
  const toError = (status: number, message: string) => geminiError(status, message);

  return async (exchange: FakeExchange) => {
    const { method, path, headers, query } = exchange.request;
    const presented = headers["x-goog-api-key"] ?? query.key;
    if (presented === undefined || presented === "") return sendProviderError(exchange, geminiMissingKey());
    if (presented !== config.apiKey) return sendProviderError(exchange, geminiInvalidKey());

    if (method === "GET" && MODELS.test(path)) return sendJson(exchange, 200, models);
    const match = method === "POST" ? ROUTE.exec(path) : null;
    const model = match === null ? "" : decodeURIComponent(match[2] as string);
    switch (match?.[3]) {
      case "generateContent":
        return runGeneration(exchange, protocol(model, false, false), runtime);
      case "streamGenerateContent":
        return runGeneration(exchange, protocol(model, true, query.alt === "sse"), runtime);
      case "countTokens":
        return sendComputed(
          exchange,
          () => ({ totalTokens: countInputTokens(parseCountTokensRequest(exchange.request.body, model)) }),
          toError,
        );
      case "embedContent":
        return sendComputed(exchange, () => renderEmbedContent(exchange.request.body), toError);
      case "batchEmbedContents":
        return sendComputed(exchange, () => renderBatchEmbedContents(exchange.request.body), toError);
      default:
        return sendProviderError(exchange, geminiError(404, `Method not found: ${method} ${path}`));
    }
  };
}
