/** OpenAI-format upstreams (OpenAI and OpenAI-compatible endpoints): URL and auth for one request. */
import type { Route } from "../routing/model-router.js";
import type { UpstreamRequest } from "./upstream-http.js";

const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";

export function openAiUpstreamRequest(route: Route, path: string, body: Uint8Array | string): UpstreamRequest {
  const base = (route.provider.baseUrl === "" ? DEFAULT_OPENAI_BASE_URL : route.provider.baseUrl).replace(/\/+$/, "");
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json, text/event-stream" };
  if (route.provider.apiKey !== null) headers.authorization = `Bearer ${route.provider.apiKey}`;
  return { url: `${base}${path}`, method: "POST", headers, body };
}
