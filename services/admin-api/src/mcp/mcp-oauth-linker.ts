/**
 * Linking a user's account at a per-user OAuth MCP server: authorization code with PKCE against the authorization
 * server the upstream names in its RFC 9728 protected-resource metadata (RFC 8414 / OpenID discovery for the AS).
 * The `state` is the keyring's AES-256-GCM encryption of who started the flow (user, server), the PKCE verifier and
 * the client, so no replica-local memory is needed; a nonce makes each state usable once (NATS KV create). Tokens
 * go, encrypted, to the `mcp_user_tokens` KV bucket that mcp-proxy reads; they are never returned or logged. Every
 * request to the upstream's metadata and its authorization server goes through `oauthFetch`, the egress policy.
 */
import { randomBytes } from "node:crypto";
import {
  discoverOAuthServerInfo,
  exchangeAuthorization,
  registerClient,
  startAuthorization,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { type KV, Kvm } from "@nats-io/kv";
import type { Bus } from "@thinkwatch/bus";
import type { McpLinkStatus } from "@thinkwatch/console-api";
import type { Keyring } from "@thinkwatch/crypto";
import { AppError } from "@thinkwatch/errors";
import {
  MCP_USER_TOKENS_BUCKET,
  type McpServerEntry,
  type McpUserTokens,
  McpUserTokensSchema,
  mcpUserTokensKey,
} from "@thinkwatch/proto";
import * as v from "valibot";

const STATE_BUCKET = "mcp_oauth_states";
const STATE_TTL_MS = 10 * 60_000;

const StateSchema = v.object({
  userId: v.string(),
  serverId: v.string(),
  nonce: v.string(),
  verifier: v.string(),
  redirectUri: v.string(),
  clientId: v.string(),
  clientSecret: v.nullable(v.string()),
  expiresAt: v.number(),
});

export interface McpOAuthLinker {
  /** `browserBinding` goes into a cookie of the browser that starts the flow; the callback must present it. */
  start(
    server: McpServerEntry,
    userId: string,
    redirectUri: string,
  ): Promise<{ authorizationUrl: string; browserBinding: string }>;
  /** Completes a flow from the callback's `code`, `state` and browser binding; returns who linked which server. */
  complete(
    code: string,
    state: string,
    browserBinding: string | undefined,
    serverOf: (id: string) => Promise<McpServerEntry | null>,
  ): Promise<{ serverId: string; userId: string }>;
  status(serverId: string, userId: string): Promise<McpLinkStatus>;
  unlink(serverId: string, userId: string): Promise<boolean>;
  /** Drops every user's tokens for a server (when the server is purged); returns how many. */
  forgetServer(serverId: string): Promise<number>;
}

export async function createMcpOAuthLinker(bus: Bus, keyring: Keyring, oauthFetch: typeof fetch): Promise<McpOAuthLinker> {
  const kvm = new Kvm(bus.nc);
  const tokens: KV = await kvm.create(bus.bucketName(MCP_USER_TOKENS_BUCKET), { history: 1 });
  const states: KV = await kvm.create(bus.bucketName(STATE_BUCKET), { history: 1, ttl: STATE_TTL_MS });

  async function discover(server: McpServerEntry) {
    if (server.url === null) throw new AppError("bad_request", `MCP server ${server.name} has no URL to discover OAuth from`);
    try {
      const info = await discoverOAuthServerInfo(server.url, { fetchFn: oauthFetch });
      if (info.authorizationServerMetadata === undefined) throw new Error("no authorization server metadata");
      return { ...info, metadata: info.authorizationServerMetadata };
    } catch (caught) {
      throw new AppError("upstream_error", `cannot discover the authorization server of ${server.name}: ${messageOf(caught)}`);
    }
  }

  async function readTokens(serverId: string, userId: string): Promise<McpUserTokens | null> {
    const entry = await tokens.get(mcpUserTokensKey(serverId, userId));
    if (entry === null || entry.operation !== "PUT") return null;
    const parsed = v.safeParse(McpUserTokensSchema, JSON.parse(keyring.decrypt(entry.string())));
    return parsed.success ? parsed.output : null;
  }

  return {
    async start(server, userId, redirectUri) {
      if (server.authMode !== "per_user_oauth") {
        throw new AppError("bad_request", `MCP server ${server.name} does not use per-user OAuth`);
      }
      const info = await discover(server);
      let clientId = server.oauth?.clientId ?? null;
      let clientSecret = server.oauth?.clientSecretEncrypted == null ? null : keyring.decrypt(server.oauth.clientSecretEncrypted);
      if (clientId === null) {
        // No configured client: register one (RFC 7591) if the authorization server allows it.
        if (info.metadata.registration_endpoint === undefined) {
          throw new AppError(
            "bad_request",
            `${server.name}'s authorization server has no dynamic client registration; set a client id`,
          );
        }
        const registered = await registerClient(info.authorizationServerUrl, {
          metadata: info.metadata,
          clientMetadata: {
            client_name: "ThinkWatch MCP gateway",
            redirect_uris: [redirectUri],
            grant_types: ["authorization_code", "refresh_token"],
            response_types: ["code"],
            token_endpoint_auth_method: "none",
          },
          fetchFn: oauthFetch,
        }).catch((caught: unknown) => {
          throw new AppError(
            "upstream_error",
            `client registration at ${server.name}'s authorization server failed: ${messageOf(caught)}`,
          );
        });
        clientId = registered.client_id;
        clientSecret = registered.client_secret ?? null;
      }
      const nonce = randomBytes(16).toString("base64url");
      const scope = server.oauth?.scopes || info.resourceMetadata?.scopes_supported?.join(" ") || undefined;
      const { authorizationUrl, codeVerifier } = await startAuthorization(info.authorizationServerUrl, {
        metadata: info.metadata,
        clientInformation: { client_id: clientId },
        redirectUrl: redirectUri,
        ...(scope === undefined ? {} : { scope }),
        ...(info.resourceMetadata?.resource === undefined ? {} : { resource: new URL(info.resourceMetadata.resource) }),
      });
      // The state carries the verifier startAuthorization just made, sealed, so any replica can finish the flow.
      const state = keyring.encrypt(
        JSON.stringify({
          userId,
          serverId: server.id,
          nonce,
          verifier: codeVerifier,
          redirectUri,
          clientId,
          clientSecret,
          expiresAt: Date.now() + STATE_TTL_MS,
        } satisfies v.InferOutput<typeof StateSchema>),
      );
      authorizationUrl.searchParams.set("state", state);
      return { authorizationUrl: authorizationUrl.href, browserBinding: nonce };
    },

    async complete(code, sealed, browserBinding, serverOf) {
      let state: v.InferOutput<typeof StateSchema>;
      try {
        state = v.parse(StateSchema, JSON.parse(keyring.decrypt(sealed)));
      } catch {
        throw new AppError("bad_request", "the OAuth state is not valid (start linking again from the console)");
      }
      if (state.expiresAt < Date.now()) throw new AppError("bad_request", "the OAuth state has expired (start linking again)");
      // Only the browser that started the flow may finish it: otherwise someone could start a link as themselves
      // and have another person's authorization land on their own gateway account.
      if (browserBinding !== state.nonce) {
        throw new AppError("bad_request", "this link was started in another browser (start linking again from the console)");
      }
      try {
        await states.create(state.nonce, "used");
      } catch {
        throw new AppError("bad_request", "the OAuth state was already used (start linking again)");
      }
      const server = await serverOf(state.serverId);
      if (server === null || server.authMode !== "per_user_oauth") {
        throw new AppError("not_found", "the MCP server of this link no longer uses per-user OAuth");
      }
      const info = await discover(server);
      const resource = info.resourceMetadata?.resource ?? null;
      const issued = await exchangeAuthorization(info.authorizationServerUrl, {
        metadata: info.metadata,
        clientInformation: {
          client_id: state.clientId,
          ...(state.clientSecret === null ? {} : { client_secret: state.clientSecret }),
        },
        authorizationCode: code,
        codeVerifier: state.verifier,
        redirectUri: state.redirectUri,
        ...(resource === null ? {} : { resource: new URL(resource) }),
        fetchFn: oauthFetch,
      }).catch((caught: unknown) => {
        throw new AppError("upstream_error", `the authorization server refused the code: ${messageOf(caught)}`);
      });
      const record: McpUserTokens = {
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token ?? null,
        expiresAt: issued.expires_in === undefined ? null : Date.now() + issued.expires_in * 1000,
        issuer: info.metadata.issuer,
        tokenEndpoint: info.metadata.token_endpoint,
        tokenEndpointAuthMethods: info.metadata.token_endpoint_auth_methods_supported ?? [],
        clientId: state.clientId,
        clientSecret: state.clientSecret,
        resource,
        scope: issued.scope ?? null,
        linkedAt: Date.now(),
      };
      await tokens.put(mcpUserTokensKey(server.id, state.userId), keyring.encrypt(JSON.stringify(record)));
      return { serverId: server.id, userId: state.userId };
    },

    async status(serverId, userId) {
      const held = await readTokens(serverId, userId).catch(() => null);
      return held === null
        ? { linked: false, linkedAt: null, scope: null }
        : { linked: true, linkedAt: new Date(held.linkedAt).toISOString(), scope: held.scope };
    },

    async unlink(serverId, userId) {
      const key = mcpUserTokensKey(serverId, userId);
      const entry = await tokens.get(key);
      if (entry === null || entry.operation !== "PUT") return false;
      await tokens.delete(key);
      return true;
    },

    async forgetServer(serverId) {
      const keys: string[] = [];
      for await (const key of await tokens.keys(`${serverId}.>`)) keys.push(key);
      for (const key of keys) await tokens.purge(key);
      return keys.length;
    },
  };
}

/** An error's message only (OAuth errors never carry the tokens; request bodies are not included). */
function messageOf(caught: unknown): string {
  return String((caught as { message?: unknown }).message ?? caught).slice(0, 300);
}
