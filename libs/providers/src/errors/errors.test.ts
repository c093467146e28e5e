import { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import { parseUpstreamError } from "./parse-upstream-error.js";
import { renderError } from "./render-error.js";

describe("renderError", () => {
  const cases = [
    [
      new AppError("validation_failed", "invalid request: model is required"),
      400,
      "invalid_request_error",
      "invalid_request_error",
      "INVALID_ARGUMENT",
    ],
    [
      new AppError("invalid_api_key", "the API key is not valid"),
      401,
      "authentication_error",
      "authentication_error",
      "UNAUTHENTICATED",
    ],
    [
      new AppError("forbidden", "this key may not use that model"),
      403,
      "permission_error",
      "permission_error",
      "PERMISSION_DENIED",
    ],
    [new AppError("model_not_found", "no model named x"), 404, "invalid_request_error", "not_found_error", "NOT_FOUND"],
    [new AppError("payload_too_large", "too big"), 413, "invalid_request_error", "request_too_large", "INVALID_ARGUMENT"],
    [new AppError("rate_limited", "slow down"), 429, "rate_limit_error", "rate_limit_error", "RESOURCE_EXHAUSTED"],
    [
      new AppError("budget_exceeded", "monthly budget used up"),
      429,
      "insufficient_quota",
      "rate_limit_error",
      "RESOURCE_EXHAUSTED",
    ],
    [new AppError("internal", "internal error"), 500, "server_error", "api_error", "INTERNAL"],
    [new AppError("upstream_error", "upstream said no"), 502, "server_error", "api_error", "UNAVAILABLE"],
    [new AppError("unavailable", "draining"), 503, "server_error", "overloaded_error", "UNAVAILABLE"],
    [new AppError("upstream_timeout", "too slow"), 504, "server_error", "api_error", "DEADLINE_EXCEEDED"],
  ] as const;

  it.each(cases)("renders %s in every API's own error shape", (error, status, openAiType, anthropicType, googleStatus) => {
    const openAiCode = {
      invalid_api_key: "invalid_api_key",
      model_not_found: "model_not_found",
      rate_limited: "rate_limit_exceeded",
      budget_exceeded: "insufficient_quota",
    }[error.code as string];
    const openAi = {
      status,
      body: { error: { message: error.message, type: openAiType, param: null, code: openAiCode ?? error.code } },
    };
    expect(renderError("openai_chat", error)).toEqual(openAi);
    expect(renderError("openai_responses", error)).toEqual(openAi);
    expect(renderError("anthropic_messages", error)).toEqual({
      status,
      body: { type: "error", error: { type: anthropicType, message: error.message } },
    });
    expect(renderError("gemini", error)).toEqual({
      status,
      body: { error: { code: status, message: error.message, status: googleStatus } },
    });
  });

  it("names the offending parameter for OpenAI clients when the error says which", () => {
    const error = new AppError("bad_request", "n is not supported", { details: { param: "n" } });
    expect(renderError("openai_chat", error).body).toEqual({
      error: { message: "n is not supported", type: "invalid_request_error", param: "n", code: "bad_request" },
    });
  });

  it("keeps an upstream status passed through on the AppError", () => {
    const error = new AppError("bad_request", "context too long", { status: 422 });
    expect(renderError("anthropic_messages", error)).toEqual({
      status: 422,
      body: { type: "error", error: { type: "invalid_request_error", message: "context too long" } },
    });
  });
});

describe("parseUpstreamError", () => {
  it.each([
    [
      "openai_chat",
      400,
      '{"error":{"message":"Invalid \'messages[1].content\'","type":"invalid_request_error","param":"messages","code":null}}',
      "bad_request",
      400,
      "Invalid 'messages[1].content'",
      "invalid_request_error",
    ],
    [
      "openai_chat",
      429,
      '{"error":{"message":"Rate limit reached for gpt-4o","type":"requests","code":"rate_limit_exceeded"}}',
      "rate_limited",
      429,
      "Rate limit reached for gpt-4o",
      "requests",
    ],
    [
      "anthropic_messages",
      401,
      '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
      "unauthenticated",
      401,
      "invalid x-api-key",
      "authentication_error",
    ],
    [
      "anthropic_messages",
      529,
      '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      "upstream_error",
      502,
      "Overloaded",
      "overloaded_error",
    ],
    [
      "gemini",
      404,
      '{"error":{"code":404,"message":"models/nope is not found","status":"NOT_FOUND"}}',
      "not_found",
      404,
      "models/nope is not found",
      "NOT_FOUND",
    ],
    [
      "gemini",
      400,
      '[{"error":{"code":400,"message":"API key not valid","status":"INVALID_ARGUMENT"}}]',
      "bad_request",
      400,
      "API key not valid",
      "INVALID_ARGUMENT",
    ],
    [
      "bedrock_converse",
      403,
      '{"message":"You don\'t have access to the model with the specified model ID."}',
      "forbidden",
      403,
      "You don't have access to the model with the specified model ID.",
      undefined,
    ],
    [
      "bedrock_converse",
      400,
      '{"Message":"Malformed input request","__type":"ValidationException"}',
      "bad_request",
      400,
      "Malformed input request",
      "ValidationException",
    ],
    [
      "openai_chat",
      500,
      "<html>Internal Server Error</html>",
      "upstream_error",
      502,
      "<html>Internal Server Error</html>",
      undefined,
    ],
    ["openai_chat", 503, "", "upstream_error", 502, "the upstream answered HTTP 503", undefined],
    ["anthropic_messages", 418, '{"error":"teapot"}', "bad_request", 418, "teapot", undefined],
  ] as const)("%s HTTP %i → %s", (format, status, body, code, expectedStatus, message, type) => {
    const error = parseUpstreamError(format, status, body);
    expect(error).toBeInstanceOf(AppError);
    expect({ code: error.code, status: error.status, message: error.message, details: error.details }).toEqual({
      code,
      status: expectedStatus,
      message,
      details: { upstreamStatus: status, upstreamFormat: format, ...(type !== undefined && { upstreamType: type }) },
    });
    expect(error.retryable).toBe(status >= 500 || status === 429);
  });

  it("cuts a huge upstream message", () => {
    const error = parseUpstreamError("openai_chat", 400, JSON.stringify({ error: { message: "x".repeat(5000) } }));
    expect(error.message).toBe(`${"x".repeat(1000)}…`);
  });
});
