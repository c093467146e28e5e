/**
 * The Azure OpenAI fake: `POST /openai/deployments/{deployment}/chat/completions|embeddings?api-version=…` and the
 * per-resource Responses API `POST /openai/responses?api-version=…` (deployment in `model`), authenticated by the
 * `api-key` header. The deployment name stands in for the model; responses carry Azure's
 * content-filter results.
 */
import { azureError } from "./azure-error.js";
import type { FakeExchange } from "./fake-exchange.js";
import type { FakeHandler } from "./fake-server.js";
import type { ResolvedFakeConfig } from "./fake-upstream-config.js";
import { type FakeRuntime, runGeneration } from "./generation-flow.js";
import { openaiChatProtocol } from "./openai-chat-protocol.js";
import { renderEmbeddings } from "./openai-embeddings.js";
import { openaiResponsesProtocol } from "./openai-responses-protocol.js";
import { sendComputed, sendProviderError } from "./respond.js";

const ROUTE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;

export function createAzureHandler(config: ResolvedFakeConfig, runtime: FakeRuntime): FakeHandler {
  const deploymentOf = (path: string) => {
    const match = ROUTE.exec(path);
    return match === null ? undefined : decodeURIComponent(match[1] as string);
  };
  const chat = openaiChatProtocol({ contentFilter: true, reasoningContent: false }, deploymentOf);
  const responses = openaiResponsesProtocol();

  return async (exchange: FakeExchange) => {
    const { method, path, headers, query } = exchange.request;
    if (headers["api-key"] !== config.apiKey) {
      await sendProviderError(exchange, azureError(401));
      return;
    }
    if (method === "POST" && path === "/openai/responses" && query["api-version"]) {
      return runGeneration(exchange, { ...responses, error: (status, message) => azureError(status, message) }, runtime);
    }
    const match = method === "POST" ? ROUTE.exec(path) : null;
    if (match === null || !query["api-version"]) {
      await sendProviderError(exchange, azureError(404));
      return;
    }
    if (match[2] === "chat/completions") {
      return runGeneration(exchange, { ...chat, error: (status, message) => azureError(status, message) }, runtime);
    }
    await sendComputed(
      exchange,
      () => renderEmbeddings(exchange.request.body, deploymentOf(path)),
      (status, message) => azureError(status, message),
    );
  };
}
