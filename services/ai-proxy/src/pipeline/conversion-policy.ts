/**
 * How honest a converted request must be: strict mode (a 400 instead of a silent drop) is on when the gateway setting,
 * the key's `strictConversion` or the request header `x-thinkwatch-strict: true` says so. The header can only make a
 * request stricter: `false` does not loosen what an admin or the key's owner asked for. Whatever was dropped is named
 * in `x-thinkwatch-dropped-params`.
 * Also the query string a same-format request passes on (`?beta=true`), minus anything that could carry a key.
 */
import { type AppEnv, requestHeader } from "@thinkwatch/http";
import type { ApiKeyInfo } from "@thinkwatch/proto";
import type { Context } from "hono";
import type { GatewayDeps } from "../deps.js";
import type { ConversionPolicy } from "./upstream-body.js";

export const STRICT_HEADER = "x-thinkwatch-strict";
export const DROPPED_HEADER = "x-thinkwatch-dropped-params";

export function conversionPolicy(
  c: Context<AppEnv>,
  deps: GatewayDeps,
  key: Pick<ApiKeyInfo, "strictConversion">,
): ConversionPolicy {
  const header = requestHeader(c, STRICT_HEADER)?.trim().toLowerCase();
  const defaults = deps.conversionDefaults();
  const strict = defaults.strict || key.strictConversion === true || header === "true" || header === "1";
  return { strict, forwardMetadataUser: defaults.forwardMetadataUser };
}

/** X-ThinkWatch-Dropped-Params on a response's headers before it is built. */
export function addDroppedHeader(headers: Record<string, string>, dropped: ReadonlySet<string>): void {
  if (dropped.size > 0) headers[DROPPED_HEADER] = droppedHeaderValue(dropped);
}

function droppedHeaderValue(dropped: ReadonlySet<string>): string {
  return [...dropped].sort().join(", ");
}

/** Query parameters that authenticate (the Gemini SDK's `key`) stay at the gateway. */
const PRIVATE_PARAMS = new Set(["key", "api-key", "api_key"]);

export function forwardedQuery(url: string): string {
  const at = url.indexOf("?");
  if (at === -1) return "";
  const params = new URLSearchParams(url.slice(at + 1));
  for (const name of [...params.keys()]) if (PRIVATE_PARAMS.has(name.toLowerCase())) params.delete(name);
  const query = params.toString();
  return query === "" ? "" : `?${query}`;
}
