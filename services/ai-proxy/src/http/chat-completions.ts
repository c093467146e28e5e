/**
 * POST /v1/chat/completions (OpenAI Chat Completions) to an OpenAI-format upstream. The request body is forwarded as
 * received (re-serialised only when the model name is mapped), responses and SSE chunks are forwarded as they arrive,
 * and usage is read on the side for the audit event.
 */

import { AppError, toAppError } from "@thinkwatch/errors";
import { type AppEnv, readJsonBody } from "@thinkwatch/http";
import type { Hono } from "hono";
import { authenticate, checkQuota, routeModel } from "../auth/admit.js";
import type { GatewayDeps } from "../deps.js";
import { finishRequest } from "../pipeline/finish.js";
import { RequestRecord } from "../pipeline/request-record.js";
import { openAiUpstreamRequest } from "../upstream/openai-upstream.js";
import { createOpenAiStreamObserver, usageFromOpenAi } from "../upstream/openai-usage-observer.js";
import { clientIpOf, userAgentOf } from "./client-info.js";
import { openAiErrorResponse } from "./openai-error.js";

interface ChatRequestHead {
  model: string;
  stream: boolean;
}

function validateHead(json: unknown): ChatRequestHead {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new AppError("validation_failed", "request body must be a JSON object");
  }
  const body = json as Record<string, unknown>;
  if (typeof body.model !== "string" || body.model === "") {
    throw new AppError("validation_failed", "'model' is required and must be a string", { details: { param: "model" } });
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new AppError("validation_failed", "'messages' is required and must be a non-empty array", {
      details: { param: "messages" },
    });
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") {
    throw new AppError("validation_failed", "'stream' must be a boolean", { details: { param: "stream" } });
  }
  return { model: body.model, stream: body.stream === true };
}

export function registerChatCompletions(app: Hono<AppEnv>, deps: GatewayDeps): void {
  app.post("/v1/chat/completions", async (c) => {
    const requestId = c.get("requestId");
    const record = new RequestRecord(requestId, "openai_chat", clientIpOf(c), userAgentOf(c));
    const abort = new AbortController();
    c.req.raw.signal.addEventListener("abort", () => abort.abort(), { once: true });
    try {
      const key = await authenticate(deps, c.req.raw);
      record.key = key;
      const { raw, json } = await readJsonBody(c, deps.maxBodyBytes);
      const head = validateHead(json);
      record.model = head.model;
      record.stream = head.stream;
      const route = routeModel(deps, key, head.model);
      record.route = route;
      await checkQuota(deps, key, route, requestId);

      const body = route.upstreamModel === head.model ? raw : JSON.stringify({ ...(json as object), model: route.upstreamModel });
      const upstream = await deps.upstream.send({
        ...openAiUpstreamRequest(route, "/chat/completions", body),
        signal: abort.signal,
      });
      record.statusCode = upstream.status;

      if (upstream.status >= 400) {
        const text = await upstream.body.text();
        if (upstream.status >= 500) {
          throw new AppError("upstream_error", `the upstream provider failed with HTTP ${upstream.status}`, {
            details: { upstreamStatus: upstream.status },
          });
        }
        record.errorCode = "upstream_error";
        finishRequest(deps, record);
        return new Response(text, {
          status: upstream.status,
          headers: { "content-type": "application/json", "x-request-id": requestId },
        });
      }

      if (!head.stream) {
        const bytes = new Uint8Array(await upstream.body.arrayBuffer());
        try {
          record.usage = usageFromOpenAi((JSON.parse(new TextDecoder().decode(bytes)) as { usage?: never }).usage);
        } catch {
          // Not JSON: forwarded as is; accounting sees no usage.
        }
        record.markFirstToken();
        finishRequest(deps, record);
        return new Response(bytes, {
          status: upstream.status,
          headers: { "content-type": "application/json", "x-request-id": requestId },
        });
      }

      return streamThrough(deps, record, upstream.body, abort);
    } catch (caught) {
      const error = toAppError(caught);
      record.statusCode = error.status;
      record.errorCode = error.code;
      finishRequest(deps, record);
      return openAiErrorResponse(error, requestId);
    }
  });
}

function streamThrough(
  deps: GatewayDeps,
  record: RequestRecord,
  body: AsyncIterable<Uint8Array>,
  abort: AbortController,
): Response {
  const observer = createOpenAiStreamObserver();
  const iterator = body[Symbol.asyncIterator]();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    record.usage = observer.usage() ?? record.usage;
    finishRequest(deps, record);
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await iterator.next();
        if (done) {
          controller.close();
          finish();
          return;
        }
        observer.push(value);
        if (observer.sawContent()) record.markFirstToken();
        controller.enqueue(value);
      } catch (caught) {
        const error = toAppError(caught);
        record.errorCode = error.code === "internal" ? "upstream_error" : error.code;
        const message = "the upstream provider stream failed before completing";
        controller.enqueue(
          new TextEncoder().encode(
            `data: ${JSON.stringify({ error: { message, type: "api_error", param: null, code: "upstream_error" } })}\n\n`,
          ),
        );
        controller.close();
        finish();
      }
    },
    cancel() {
      record.errorCode = "client_closed";
      record.statusCode = 499;
      abort.abort();
      finish();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-request-id": record.requestId,
    },
  });
}
