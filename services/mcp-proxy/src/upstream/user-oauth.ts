/**
 * The credentials mcp-proxy presents upstream for servers that are not `static`:
 * - `per_user_oauth`: the calling user's own access token, read from the `mcp_user_tokens` KV bucket (ciphertext
 *   only; admin-api writes it when the user links their account) and refreshed here when it is about to expire. The
 *   refreshed tokens are written back with compare-and-set, so two replicas refreshing at once do not clobber each
 *   other: the loser re-reads and uses the winner's tokens.
 * - `client_credentials`: one service-account token per server, fetched from the server's authorization server
 *   (discovered from its RFC 9728 / RFC 8414 metadata) and cached until shortly before it expires.
 * Tokens stay in this module's memory: never logged, never in an error message, never sent to a client.
 */

import { discoverOAuthServerInfo, refreshAuthorization } from "@modelcontextprotocol/sdk/client/auth.js";
import type { AuthorizationServerMetadata } from "@modelcontextprotocol/sdk/shared/auth.js";
import { type KV, Kvm, KvWatchInclude } from "@nats-io/kv";
import type { Bus } from "@thinkwatch/bus";
import type { Keyring } from "@thinkwatch/crypto";
import type { Logger } from "@thinkwatch/log";
import { MCP_USER_TOKENS_BUCKET, type McpUserTokens, McpUserTokensSchema, mcpUserTokensKey } from "@thinkwatch/proto";
import * as v from "valibot";
import type { UpstreamServer } from "../registry/registry-watch.js";

/** Refresh this long before the access token expires, so a call never leaves with a token about to lapse. */
const EXPIRY_MARGIN_MS = 30_000;

/** The user has not linked their account for a per-user OAuth server (or unlinked it, or the refresh was refused). */
export class NotLinkedError extends Error {
  constructor(readonly server: UpstreamServer) {
    super(`not linked to the MCP server ${server.name}`);
    this.name = "NotLinkedError";
  }
}

export interface UpstreamAuth {
  /** Headers that authenticate a request to `server` on behalf of `userId`; empty for `static` servers. */
  headers(server: UpstreamServer, userId: string): Promise<Record<string, string>>;
  stop(): void;
}

interface Cached {
  tokens: McpUserTokens;
  revision: number;
}

/** `oauthFetch` carries every request to an authorization server, through the egress policy. */
export async function createUpstreamAuth(
  bus: Bus,
  keyring: Keyring,
  log: Logger,
  oauthFetch: typeof fetch,
): Promise<UpstreamAuth> {
  const kv: KV = await new Kvm(bus.nc).create(bus.bucketName(MCP_USER_TOKENS_BUCKET), { history: 1 });
  const userTokens = new Map<string, Cached>();
  const refreshing = new Map<string, Promise<Cached | null>>();
  const serviceTokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();

  // Another replica refreshed, or the user linked again or unlinked: forget what we hold for that key.
  const watcher = await kv.watch({ include: KvWatchInclude.UpdatesOnly });
  void (async () => {
    for await (const entry of watcher) {
      const held = userTokens.get(entry.key);
      if (held !== undefined && held.revision !== entry.revision) userTokens.delete(entry.key);
    }
  })().catch((caught: unknown) => log.error({ err: caught }, "MCP user-token watch ended"));

  async function read(key: string): Promise<Cached | null> {
    const entry = await kv.get(key);
    if (entry === null || entry.operation !== "PUT") return null;
    try {
      const tokens = v.parse(McpUserTokensSchema, JSON.parse(keyring.decrypt(entry.string())));
      return { tokens, revision: entry.revision };
    } catch (caught) {
      log.error({ err: errorSummary(caught), key }, "cannot read stored MCP user tokens (is ENCRYPTION_KEY right?)");
      return null;
    }
  }

  async function refresh(key: string, held: Cached): Promise<Cached | null> {
    const { tokens } = held;
    if (tokens.refreshToken === null) return null;
    let fresh: Awaited<ReturnType<typeof refreshAuthorization>>;
    try {
      fresh = await refreshAuthorization(tokens.issuer, {
        metadata: metadataOf(tokens),
        clientInformation: {
          client_id: tokens.clientId,
          ...(tokens.clientSecret === null ? {} : { client_secret: tokens.clientSecret }),
        },
        refreshToken: tokens.refreshToken,
        fetchFn: oauthFetch,
        ...(tokens.resource === null ? {} : { resource: new URL(tokens.resource) }),
      });
    } catch (caught) {
      // Maybe another replica already used the (rotated) refresh token: its result is in the bucket.
      const again = await read(key);
      if (again !== null && again.revision !== held.revision && !expiring(again.tokens)) return again;
      log.warn({ err: errorSummary(caught), key }, "refreshing an MCP user token failed; the user must link again");
      return null;
    }
    const next: McpUserTokens = {
      ...tokens,
      accessToken: fresh.access_token,
      refreshToken: fresh.refresh_token ?? tokens.refreshToken,
      expiresAt: fresh.expires_in === undefined ? null : Date.now() + fresh.expires_in * 1000,
      scope: fresh.scope ?? tokens.scope,
    };
    try {
      const revision = await kv.update(key, keyring.encrypt(JSON.stringify(next)), held.revision);
      return { tokens: next, revision };
    } catch {
      // Compare-and-set lost: another replica wrote first. Its tokens are as good as ours; use them.
      return (await read(key)) ?? { tokens: next, revision: held.revision };
    }
  }

  async function userToken(server: UpstreamServer, userId: string): Promise<string> {
    const key = mcpUserTokensKey(server.id, userId);
    let held = userTokens.get(key) ?? (await read(key));
    if (held === null) throw new NotLinkedError(server);
    if (expiring(held.tokens)) {
      const pending = refreshing.get(key) ?? refresh(key, held).finally(() => refreshing.delete(key));
      refreshing.set(key, pending);
      held = await pending;
      if (held === null) throw new NotLinkedError(server);
    }
    userTokens.set(key, held);
    return held.tokens.accessToken;
  }

  function serviceToken(server: UpstreamServer): Promise<string> {
    const cached = serviceTokens.get(server.id);
    const fetchNew = () => {
      const pending = fetchClientCredentials(server, keyring, oauthFetch);
      serviceTokens.set(server.id, pending);
      pending.catch(() => serviceTokens.delete(server.id));
      return pending;
    };
    const current = cached ?? fetchNew();
    return current.then((t) => (t.expiresAt - EXPIRY_MARGIN_MS > Date.now() ? t : fetchNew())).then((t) => t.token);
  }

  return {
    async headers(server, userId): Promise<Record<string, string>> {
      switch (server.authMode) {
        case "static":
          return {};
        case "per_user_oauth":
          return { authorization: `Bearer ${await userToken(server, userId)}` };
        case "client_credentials":
          return { authorization: `Bearer ${await serviceToken(server)}` };
      }
    },
    stop() {
      watcher.stop();
    },
  };
}

function expiring(tokens: McpUserTokens): boolean {
  return tokens.expiresAt !== null && tokens.expiresAt - EXPIRY_MARGIN_MS <= Date.now();
}

function metadataOf(tokens: McpUserTokens): AuthorizationServerMetadata {
  return {
    issuer: tokens.issuer,
    token_endpoint: tokens.tokenEndpoint,
    token_endpoint_auth_methods_supported: tokens.tokenEndpointAuthMethods,
    // Required by the schema's type, unused for a refresh.
    authorization_endpoint: tokens.tokenEndpoint,
    response_types_supported: ["code"],
  };
}

export async function fetchClientCredentials(
  server: UpstreamServer,
  keyring: Keyring,
  oauthFetch: typeof fetch,
): Promise<{ token: string; expiresAt: number }> {
  if (server.url === null || server.oauth === null || server.oauth.clientId === null) {
    throw new Error(`client_credentials server ${server.name} has no url or client id`);
  }
  const info = await discoverOAuthServerInfo(server.url, { fetchFn: oauthFetch });
  const endpoint = info.authorizationServerMetadata?.token_endpoint ?? new URL("/token", info.authorizationServerUrl).href;
  const body = new URLSearchParams({ grant_type: "client_credentials" });
  if (server.oauth.scopes !== "") body.set("scope", server.oauth.scopes);
  if (info.resourceMetadata?.resource !== undefined) body.set("resource", info.resourceMetadata.resource);
  const secret = server.oauth.clientSecretEncrypted === null ? "" : keyring.decrypt(server.oauth.clientSecretEncrypted);
  const basic = Buffer.from(`${encodeURIComponent(server.oauth.clientId)}:${encodeURIComponent(secret)}`).toString("base64");
  const response = await oauthFetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
    body,
  });
  const json = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
  if (!response.ok || typeof json.access_token !== "string") {
    throw new Error(
      `client_credentials token request to ${server.name}'s authorization server failed: ${response.status} ${String(json.error ?? "")}`,
    );
  }
  const lifetimeS = typeof json.expires_in === "number" ? json.expires_in : 300;
  return { token: json.access_token, expiresAt: Date.now() + lifetimeS * 1000 };
}

/** An error's class and message only: OAuth libraries may attach request bodies (tokens) to their errors. */
function errorSummary(caught: unknown): { name: string; message: string } {
  const error = caught as { name?: unknown; message?: unknown };
  return { name: String(error.name ?? "Error"), message: String(error.message ?? caught).slice(0, 300) };
}
