/**
 * Per-user upstream OAuth tokens of MCP servers. admin-api writes a user's tokens when they link their account;
 * mcp-proxy reads them (and writes refreshed ones back with compare-and-set) without opening PostgreSQL. The bucket
 * holds only ciphertext: each value is the keyring's AES-256-GCM encryption of a JSON `McpUserTokens`.
 */
import * as v from "valibot";

export const MCP_USER_TOKENS_BUCKET = "mcp_user_tokens";

/** KV key of one user's tokens for one server (UUIDs, so always valid KV key tokens). */
export function mcpUserTokensKey(serverId: string, userId: string): string {
  return `${serverId}.${userId}`;
}

export const McpUserTokensSchema = v.object({
  accessToken: v.string(),
  refreshToken: v.nullable(v.string()),
  /** Epoch milliseconds; null when the authorization server did not say. */
  expiresAt: v.nullable(v.number()),
  /** The authorization server (issuer) and its token endpoint, as discovered when linking. */
  issuer: v.string(),
  tokenEndpoint: v.string(),
  tokenEndpointAuthMethods: v.array(v.string()),
  /** The client the tokens were issued to (configured or dynamically registered); its secret, if any. */
  clientId: v.string(),
  clientSecret: v.nullable(v.string()),
  /** RFC 8707 resource the tokens are bound to (the upstream's protected-resource id), if any. */
  resource: v.nullable(v.string()),
  scope: v.nullable(v.string()),
  linkedAt: v.number(),
});
export type McpUserTokens = v.InferOutput<typeof McpUserTokensSchema>;
