/** The edge's first step on every request: a presented, valid key that is enabled for this gateway surface. */
import { AppError } from "@thinkwatch/errors";
import type { ApiKeyInfo, Surface } from "@thinkwatch/proto";
import type { TraceContext } from "@thinkwatch/tracing";
import { extractPresentedKey, type HeaderLookup } from "./extract-key.js";
import type { KeyVerifier } from "./key-verifier.js";

const SURFACE_NAMES: Record<Surface, string> = { ai_gateway: "AI gateway", mcp_gateway: "MCP gateway", console: "console API" };

/** What a key is read from: the request, or (cheaper on Node) its headers by name and its URL. */
export type PresentedRequest = Request | { header: HeaderLookup; url: string };

export async function authenticateSurface(
  keys: KeyVerifier,
  request: PresentedRequest,
  surface: Surface,
  trace?: TraceContext,
): Promise<ApiKeyInfo> {
  return authenticateSurfaceNow(keys, request, surface, trace);
}

/**
 * As authenticateSurface, without a promise when the key cache decides (the gateway's hot path): returns the key or
 * throws at once; a promise only when key-service is asked (`trace`: the request's context, parent of that request's
 * span).
 */
export function authenticateSurfaceNow(
  keys: KeyVerifier,
  request: PresentedRequest,
  surface: Surface,
  trace?: TraceContext,
): ApiKeyInfo | Promise<ApiKeyInfo> {
  const presented = extractPresentedKey(request instanceof Request ? request.headers : request.header, request.url);
  if (presented === null) {
    throw new AppError(
      "unauthenticated",
      "missing API key: send a ThinkWatch key (tw-…) as Authorization: Bearer, x-api-key, x-goog-api-key or api-key",
    );
  }
  const key = keys.verifyNow(presented, trace);
  return key instanceof Promise ? key.then((verified) => enabledFor(verified, surface)) : enabledFor(key, surface);
}

function enabledFor(key: ApiKeyInfo, surface: Surface): ApiKeyInfo {
  if (!key.surfaces.includes(surface))
    throw new AppError("forbidden", `this API key is not enabled for the ${SURFACE_NAMES[surface]}`);
  return key;
}
