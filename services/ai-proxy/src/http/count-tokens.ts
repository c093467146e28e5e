/**
 * Token counting: Anthropic `POST /v1/messages/count_tokens` (Claude Code calls it before every turn) and Gemini
 * `models/{model}:countTokens`. The provider's own counting endpoint answers when it has one; otherwise the documented
 * estimate from @thinkwatch/providers does. Counting is authenticated and model-authorized and goes through the intake
 * limits (key concurrency, body budget) like generation, but costs no quota.
 */
import { toAppError } from "@thinkwatch/errors";
import { type AbortLike, type AppEnv, clientAbort } from "@thinkwatch/http";
import {
  type CanonicalRequest,
  countTokensEstimate,
  decodeCountTokensResponse,
  decodeRequest,
  encodeCountTokensRequest,
  hasCountTokensEndpoint,
  type InboundFormat,
  parseUpstreamError,
} from "@thinkwatch/providers";
import type { Context } from "hono";
import { authenticate, routeModel } from "../auth/admit.js";
import type { GatewayDeps } from "../deps.js";
import { errorResponse } from "../pipeline/inbound-api.js";
import type { Route } from "../routing/model-router.js";
import { PROVIDER_ENDPOINTS } from "../upstream/provider-endpoints.js";

async function countTokens(deps: GatewayDeps, route: Route, canonical: CanonicalRequest, signal: AbortLike): Promise<number> {
  const endpoint = PROVIDER_ENDPOINTS[route.provider.kind];
  if (!endpoint.operations.includes("count_tokens") || !hasCountTokensEndpoint(endpoint.format))
    return countTokensEstimate(canonical);
  const body = JSON.stringify(encodeCountTokensRequest(endpoint.format, canonical, { upstreamModel: route.upstreamModel }));
  const request = endpoint.build({
    provider: route.provider,
    upstreamModel: route.upstreamModel,
    stream: false,
    operation: "count_tokens",
    body,
  });
  const upstream = await deps.upstream.send({ ...request, signal });
  const text = await upstream.body.text();
  if (upstream.status >= 400) throw parseUpstreamError(endpoint.format, upstream.status, text);
  return decodeCountTokensResponse(endpoint.format, JSON.parse(text));
}

async function handleCount(
  c: Context<AppEnv>,
  deps: GatewayDeps,
  format: InboundFormat,
  decode: (json: unknown) => CanonicalRequest,
  reply: (tokens: number) => Record<string, unknown>,
): Promise<Response> {
  const requestId = c.get("requestId");
  let release: (() => void) | undefined;
  try {
    const key = await authenticate(deps, c);
    // The same intake admission as generation: a count body is as big as the conversation it counts.
    const intake = deps.intake.admit(key.id);
    release = intake.release;
    const { json } = await intake.readBody(c, deps.maxBodyBytes);
    const canonical = decode(json);
    // Counting is cheap and idempotent: the model's first route answers, without the retry machinery.
    const route = routeModel(deps, key, canonical.model).routes[0] as Route;
    const tokens = await countTokens(deps, route, canonical, clientAbort(c));
    return c.json(reply(tokens));
  } catch (caught) {
    return errorResponse(format, toAppError(caught), requestId);
  } finally {
    release?.();
  }
}

export function handleAnthropicCountTokens(c: Context<AppEnv>, deps: GatewayDeps): Promise<Response> {
  return handleCount(
    c,
    deps,
    "anthropic_messages",
    (json) => decodeRequest("anthropic_messages", json, { countTokens: true }),
    (tokens) => ({ input_tokens: tokens }),
  );
}

export function handleGeminiCountTokens(c: Context<AppEnv>, deps: GatewayDeps, model: string): Promise<Response> {
  return handleCount(
    c,
    deps,
    "gemini",
    (json) => {
      // countTokens takes either the bare contents or a whole generateContentRequest.
      const inner = (json as { generateContentRequest?: unknown } | null)?.generateContentRequest;
      return decodeRequest("gemini", inner ?? json, { model, stream: false });
    },
    (tokens) => ({ totalTokens: tokens }),
  );
}
