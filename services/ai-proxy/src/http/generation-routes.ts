/**
 * The generation endpoints of every client API on the gateway port. Gemini's model and method ride in one path
 * segment (`models/gemini-2.0-flash:streamGenerateContent`), under both `/v1beta` and `/v1` (the Google SDKs use both).
 */
import { AppError } from "@thinkwatch/errors";
import type { AppEnv } from "@thinkwatch/http";
import type { Context, Hono } from "hono";
import type { GatewayDeps } from "../deps.js";
import { handleGenerate } from "../pipeline/generate.js";
import { errorResponse, INBOUND } from "../pipeline/inbound-api.js";
import { handleGeminiCountTokens } from "./count-tokens.js";

export function registerGenerationRoutes(app: Hono<AppEnv>, deps: GatewayDeps): void {
  app.post("/v1/chat/completions", (c) => handleGenerate(c, deps, INBOUND.openaiChat));
  app.post("/v1/messages", (c) => handleGenerate(c, deps, INBOUND.anthropicMessages));
  app.post("/v1/responses", (c) => handleGenerate(c, deps, INBOUND.openaiResponses));
  const gemini = (c: Context<AppEnv>) => {
    const segment = c.req.param("modelAction") ?? "";
    const colon = segment.lastIndexOf(":");
    const model = decodeURIComponent(colon === -1 ? segment : segment.slice(0, colon));
    const method = colon === -1 ? "" : segment.slice(colon + 1);
    switch (method) {
      case "generateContent":
        return handleGenerate(c, deps, INBOUND.gemini, { model, stream: false });
      case "streamGenerateContent":
        return handleGenerate(c, deps, INBOUND.gemini, { model, stream: true, sse: c.req.query("alt") === "sse" });
      case "countTokens":
        return handleGeminiCountTokens(c, deps, model);
      default:
        return errorResponse(
          "gemini",
          new AppError(
            "not_found",
            `unknown method '${method}'; the gateway serves generateContent, streamGenerateContent and countTokens`,
          ),
          c.get("requestId"),
        );
    }
  };
  app.post("/v1beta/models/:modelAction", gemini);
  app.post("/v1/models/:modelAction", gemini);
}
