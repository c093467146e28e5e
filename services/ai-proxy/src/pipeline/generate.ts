/**
 * One generation request, whatever API the client speaks and whatever provider serves the model:
 * authenticate → take a concurrency slot and read the body within the memory budget → decode and validate (a large
 * body: its head only, the rest when a route needs it; ClientRequest) → route and
 * authorize the model → quota → call the upstream over the model's routes (breakers, caps, fallback, retries; the
 * upstream format, body and conversion planned per route) → answer in the client's API (forwarded untouched when
 * formats match) → publish the audit event.
 */
import { AppError, toAppError } from "@thinkwatch/errors";
import { type AppEnv, clientAbort, requestHeader } from "@thinkwatch/http";
import { countTokensEstimate, type UpstreamFormat } from "@thinkwatch/providers";
import { withContext } from "@thinkwatch/tracing";
import type { Context } from "hono";
import { authenticate, routeModel } from "../auth/admit.js";
import type { GatewayDeps } from "../deps.js";
import { clientIpOf, userAgentOf } from "../http/client-info.js";
import { setRateLimitHeaders } from "../quota/rate-limit-headers.js";
import type { Route } from "../routing/model-router.js";
import { PROVIDER_ENDPOINTS } from "../upstream/provider-endpoints.js";
import { type RoutedResponse, sendWithRoutes } from "../upstream/send-with-routes.js";
import { ClientRequest } from "./client-request.js";
import { addDroppedHeader, conversionPolicy, forwardedQuery } from "./conversion-policy.js";
import { finishRequest } from "./finish.js";
import { errorResponse, type InboundSpec } from "./inbound-api.js";
import { admitQuota, priceServedRoute } from "./quota-admission.js";
import { RequestRecord } from "./request-record.js";
import { streamResponse } from "./stream-response.js";
import { unaryResponse, upstreamErrorResponse } from "./unary-response.js";
import { type UpstreamBody as PlannedBody, upstreamBody } from "./upstream-body.js";
import { upstreamFormatFor } from "./upstream-format.js";
import { startTokensEstimate } from "./usage.js";

export interface UrlOptions {
  /** Gemini: the model named in the path. */
  model?: string;
  /** Gemini: `:streamGenerateContent`. */
  stream?: boolean;
  /** Gemini: false when a stream was asked for without `alt=sse`. */
  sse?: boolean;
}

/** Client headers passed upstream when the formats match. */
const PASSED_HEADERS = ["anthropic-version", "anthropic-beta"];

export async function handleGenerate(
  c: Context<AppEnv>,
  deps: GatewayDeps,
  spec: InboundSpec,
  url: UrlOptions = {},
): Promise<Response> {
  const requestId = c.get("requestId");
  const record = new RequestRecord(requestId, spec.audit, clientIpOf(c), userAgentOf(c), c.get("trace"));
  // Aborted by the server when the client goes away; passed to the upstream call so it is cancelled too.
  const clientGone = clientAbort(c);
  try {
    // The steps below answer without a promise when nothing must be waited for (a cached key, no quota rule): each
    // await costs the hot path a few promises and a trip through the microtask queue.
    const key = authenticate(deps, c);
    record.key = key instanceof Promise ? await key : key;
    const intake = deps.intake.admit(record.key.id);
    record.atFinish.push(intake.release);
    const decodeOptions = url.model === undefined ? {} : { model: url.model, stream: url.stream === true };
    const asked = await intake.readBodyChunks(c, deps.maxBodyBytes, (body) =>
      ClientRequest.read(spec.format, body, decodeOptions),
    );
    const head = asked.head;
    record.model = head.model;
    record.stream = head.stream;
    const routes = routeModel(deps, record.key, head.model);
    // Quota is admitted once, against the preferred route; the event names the route that finally served.
    record.route = routes.routes[0] as Route;
    const sse = url.sse !== false;
    const reasoning = head.reasoning?.enabled === true;
    const formatChoice = deps.conversionDefaults();
    const policy = conversionPolicy(c, deps, record.key);
    const admitted = admitQuota(deps, record.key, record, record.route, {
      inputTokens: () => countTokensEstimate(asked.canonical()),
      maxOutputTokens: head.maxTokens,
    });
    const headroom = admitted instanceof Promise ? await admitted : admitted;

    // Each route may be another provider and format: the format, body and headers are planned per route as the
    // router tries them (a route whose conversion strict mode refuses is skipped for the others).
    record.markUpstreamStart();
    let sent: RoutedResponse<{ format: UpstreamFormat; planned: PlannedBody }>;
    try {
      sent = await sendWithRoutes(
        deps.routing,
        routes,
        { stream: head.stream, signal: clientGone, requestId, trace: record.trace },
        (route) => {
          const endpoint = PROVIDER_ENDPOINTS[route.provider.kind];
          const format = upstreamFormatFor(endpoint, route, spec.format, reasoning, formatChoice);
          const planned = upstreamBody(spec.format, format, endpoint, route, asked, policy, !sse && head.stream);
          const passHeaders: Record<string, string> = {};
          if (format === spec.format) {
            for (const name of PASSED_HEADERS) {
              const value = requestHeader(c, name);
              if (value !== undefined) passHeaders[name] = value;
            }
          }
          const request = endpoint.build({
            format,
            ...(format === spec.format && url.model === undefined ? { passQuery: forwardedQuery(c.req.url) } : {}),
            provider: route.provider,
            upstreamModel: route.upstreamModel,
            stream: head.stream,
            operation: "generate",
            body: planned.body,
            passHeaders,
          });
          return { request, plan: { format, planned } };
        },
      );
    } finally {
      intake.releaseBody();
    }
    const { format, planned } = sent.plan;
    const upstream = sent.response;
    record.route = sent.route;
    priceServedRoute(deps, record, sent.route);
    const context = {
      record,
      inbound: spec.format,
      upstreamFormat: format,
      passthrough: planned.passthrough,
      requestId,
    };

    if (upstream.status >= 400) {
      record.statusCode = upstream.status;
      const answer = await upstreamErrorResponse(context, upstream);
      if (answer instanceof AppError) throw answer;
      record.errorCode = "upstream_error";
      finishRequest(deps, record);
      setRateLimitHeaders(answer.headers, headroom);
      return answer;
    }
    if (!head.stream) {
      const bytes = upstream.body.buffered ?? (await upstream.body.bytes());
      const response = unaryResponse(context, bytes, headroom, planned.dropped);
      finishRequest(deps, record);
      return response;
    }
    record.streamed = true;
    const estimatedInputTokens = startTokensEstimate(spec.format, format, planned.passthrough, asked);
    const headers: Record<string, string> = {};
    addDroppedHeader(headers, planned.dropped);
    setRateLimitHeaders(headers, headroom);
    return streamResponse(
      c,
      {
        ...context,
        hideUsageChunk: planned.hideUsageChunk,
        includeUsage: head.includeUsage,
        sse,
        ...(estimatedInputTokens !== undefined && { estimatedInputTokens }),
        onFinish: () => finishRequest(deps, record),
      },
      upstream.body,
      headers,
      deps.log,
    );
  } catch (caught) {
    const error = toAppError(caught);
    if (error.code === "internal") {
      withContext(record.trace, () => deps.log.error({ err: caught, requestId }, "gateway request failed"));
    }
    record.statusCode = error.status;
    record.errorCode = error.code;
    finishRequest(deps, record);
    return errorResponse(spec.format, error, requestId);
  }
}
