/**
 * POST /v1/embeddings (OpenAI shape) to any provider that embeds: OpenAI-format upstreams get the request as sent,
 * Gemini gets batchEmbedContents and its answer converted back. Providers without embeddings get a clear 400.
 */
import { AppError, toAppError } from "@thinkwatch/errors";
import { type AppEnv, clientAbort } from "@thinkwatch/http";
import {
  decodeGeminiEmbeddingsResponse,
  decodeOpenAiEmbeddingsRequest,
  encodeGeminiEmbeddingsRequest,
  parseUpstreamError,
} from "@thinkwatch/providers";
import type { Hono } from "hono";
import { authenticate, routeModel } from "../auth/admit.js";
import type { GatewayDeps } from "../deps.js";
import { finishRequest } from "../pipeline/finish.js";
import { errorResponse } from "../pipeline/inbound-api.js";
import { admitQuota, priceServedRoute } from "../pipeline/quota-admission.js";
import { RequestRecord, ZERO_USAGE } from "../pipeline/request-record.js";
import { setRateLimitHeaders } from "../quota/rate-limit-headers.js";
import type { Route } from "../routing/model-router.js";
import { PROVIDER_ENDPOINTS } from "../upstream/provider-endpoints.js";
import { sendWithRoutes } from "../upstream/send-with-routes.js";
import { clientIpOf, userAgentOf } from "./client-info.js";

export function registerEmbeddingRoutes(app: Hono<AppEnv>, deps: GatewayDeps): void {
  app.post("/v1/embeddings", async (c) => {
    const requestId = c.get("requestId");
    const record = new RequestRecord(requestId, "openai_embeddings", clientIpOf(c), userAgentOf(c), c.get("trace"));
    try {
      record.key = await authenticate(deps, c);
      const intake = deps.intake.admit(record.key.id);
      record.atFinish.push(intake.release);
      const { raw, json } = await intake.readBody(c, deps.maxBodyBytes);
      const request = decodeOpenAiEmbeddingsRequest(json);
      record.model = request.model;
      const routes = routeModel(deps, record.key, request.model);
      record.route = routes.routes[0] as Route;
      // Every route must embed; one that cannot is a configuration error worth a clear 400, not a fallback.
      for (const route of routes.routes) {
        if (!PROVIDER_ENDPOINTS[route.provider.kind].operations.includes("embeddings")) {
          throw new AppError(
            "bad_request",
            `the model '${request.model}' is served by a ${route.provider.kind} provider, which offers no embeddings through the gateway`,
            {
              details: { param: "model" },
            },
          );
        }
      }
      // Embeddings produce no output tokens: the reservation is the input, estimated from the body (~4 bytes a token).
      const headroom = await admitQuota(deps, record.key, record, record.route, {
        inputTokens: () => Math.ceil(raw.byteLength / 4),
        maxOutputTokens: 0,
      });
      const sent = await sendWithRoutes(deps.routing, routes, { stream: false, signal: clientAbort(c), requestId }, (route) => {
        const endpoint = PROVIDER_ENDPOINTS[route.provider.kind];
        const openAiFormat = endpoint.format === "openai_chat";
        const body = openAiFormat
          ? route.upstreamModel === request.model
            ? raw
            : JSON.stringify({ ...(json as object), model: route.upstreamModel })
          : JSON.stringify(encodeGeminiEmbeddingsRequest(request, { upstreamModel: route.upstreamModel }));
        const upstreamRequest = endpoint.build({
          provider: route.provider,
          upstreamModel: route.upstreamModel,
          stream: false,
          operation: "embeddings",
          body,
        });
        return { request: upstreamRequest, plan: { endpoint, openAiFormat } };
      });
      const { endpoint, openAiFormat } = sent.plan;
      const upstream = sent.response;
      record.route = sent.route;
      priceServedRoute(deps, record, sent.route);
      const text = await upstream.body.text();
      record.statusCode = upstream.status;
      if (upstream.status >= 400) throw parseUpstreamError(endpoint.format, upstream.status, text);
      const answer = openAiFormat
        ? text
        : JSON.stringify(decodeGeminiEmbeddingsResponse(JSON.parse(text), request, { model: request.model }));
      const usage = (JSON.parse(answer) as { usage?: { prompt_tokens?: number } }).usage;
      record.setUsage({ ...ZERO_USAGE, inputTokens: usage?.prompt_tokens ?? 0 });
      record.markFirstToken();
      finishRequest(deps, record);
      const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": requestId };
      setRateLimitHeaders(headers, headroom);
      return new Response(answer, { status: 200, headers });
    } catch (caught) {
      const error = toAppError(caught);
      record.statusCode = error.status;
      record.errorCode = error.code;
      finishRequest(deps, record);
      return errorResponse("openai_chat", error, requestId);
    }
  });
}
