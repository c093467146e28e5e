/**
 * RFC 9728 protected-resource metadata for /mcp: MCP clients that meet a 401 read it to learn how to authenticate.
 * ThinkWatch keys are bearer tokens issued from the console, so no authorization server is listed.
 */
import type { AppEnv } from "@thinkwatch/http";
import type { Context, Hono } from "hono";

export const PROTECTED_RESOURCE_PATH = "/.well-known/oauth-protected-resource";

export function publicBaseUrl(c: Context): string {
  const url = new URL(c.req.url);
  const host = c.req.header("host") ?? url.host;
  return `${url.protocol}//${host}`;
}

export function resourceMetadataUrl(c: Context): string {
  return `${publicBaseUrl(c)}${PROTECTED_RESOURCE_PATH}/mcp`;
}

export function registerProtectedResource(app: Hono<AppEnv>): void {
  const metadata = (c: Context<AppEnv>) =>
    c.json({
      resource: `${publicBaseUrl(c)}/mcp`,
      authorization_servers: [],
      bearer_methods_supported: ["header"],
      resource_name: "ThinkWatch MCP gateway",
      resource_documentation: `${publicBaseUrl(c)}/mcp`,
    });
  app.get(PROTECTED_RESOURCE_PATH, metadata);
  app.get(`${PROTECTED_RESOURCE_PATH}/mcp`, metadata);
  app.get(`${PROTECTED_RESOURCE_PATH}/mcp/*`, metadata);
}
