/**
 * An OAuth-protected upstream MCP server for tests, with its own real authorization server (the `oidc-provider`
 * package): the AS issues JWT access tokens for the MCP server's resource (RFC 8707 resource indicators) and refresh
 * tokens; the MCP server (MCP SDK, Streamable HTTP) advertises the AS in its RFC 9728 protected-resource metadata,
 * verifies each bearer token against the AS's keys and answers the `whoami` tool with the token's subject. Logins
 * need no form: the test says who logs in next, and `authorize` follows the authorization URL like a browser.
 */
/// <reference path="./oidc-provider.d.ts" />
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } from "jose";

export interface OAuthMcpCall {
  sub: string;
  /** The access token's id: differs after a refresh. */
  jti: string;
}

export interface OAuthProtectedMcp {
  /** The MCP endpoint. */
  url: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** A confidential client allowed the client_credentials grant (a service account). */
  serviceClientId: string;
  serviceClientSecret: string;
  /** Every authenticated request the MCP server accepted, in order. */
  calls: OAuthMcpCall[];
  /** Every Authorization header value the MCP server received (accepted or not). */
  authorizations: string[];
  /** Every access and refresh token the AS issued, so a test can look for them where they must not be. */
  issuedTokens: string[];
  /** How many refresh_token grants the AS answered. */
  refreshes(): number;
  /** How many client_credentials grants the AS answered. */
  clientCredentialsGrants(): number;
  loginAs(subject: string): void;
  /** GET the authorization URL and follow redirects (cookies kept) until one starts with `stopAt`; returns it. */
  authorize(authorizationUrl: string, stopAt: string): Promise<string>;
  close(): Promise<void>;
}

export interface OAuthProtectedMcpOptions {
  redirectUris: string[];
  /** Lifetime of the users' JWT access tokens (the service account's live 300 s). */
  accessTokenTtlSeconds: number;
}

const SCOPE = "tools";

export async function startOAuthProtectedMcp(options: OAuthProtectedMcpOptions): Promise<OAuthProtectedMcp> {
  const clientId = "thinkwatch-gateway";
  const clientSecret = `secret-${randomUUID()}`;
  let next: string | null = null;
  let refreshCount = 0;
  let clientCredentialsCount = 0;
  const serviceClientId = "thinkwatch-service";
  const serviceClientSecret = `service-secret-${randomUUID()}`;
  const calls: OAuthMcpCall[] = [];
  const authorizations: string[] = [];
  const issuedTokens: string[] = [];

  const asServer: Server = createServer();
  const mcpServer: Server = createServer();
  await Promise.all([asServer, mcpServer].map((s) => new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve))));
  const issuer = `http://127.0.0.1:${(asServer.address() as AddressInfo).port}`;
  const resource = `http://127.0.0.1:${(mcpServer.address() as AddressInfo).port}/mcp`;

  // Loaded on use: the package prints a runtime warning on Node 20 that every other test of the kit need not see.
  const { default: Provider } = await import("oidc-provider");
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "as-key" };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
      {
        client_id: serviceClientId,
        client_secret: serviceClientSecret,
        redirect_uris: [],
        grant_types: ["client_credentials"],
        response_types: [],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ["test-only-cookie-key-mcp-oauth"] },
    scopes: ["openid", "offline_access", SCOPE],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        // The users' tokens live as long as the test asks; the service account's for five minutes.
        getResourceServerInfo: (_ctx: unknown, _resource: string, client: { clientId: string }) => ({
          scope: SCOPE,
          audience: resource,
          accessTokenTTL: client.clientId === serviceClientId ? 300 : options.accessTokenTtlSeconds,
          accessTokenFormat: "jwt",
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
    issueRefreshToken: () => true,
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  });
  provider.on("grant.success", (...args: unknown[]) => {
    const ctx = args[0] as {
      body?: { access_token?: unknown; refresh_token?: unknown };
      oidc?: { params?: { grant_type?: unknown } };
    };
    if (ctx.oidc?.params?.grant_type === "refresh_token") refreshCount++;
    if (ctx.oidc?.params?.grant_type === "client_credentials") clientCredentialsCount++;
    for (const token of [ctx.body?.access_token, ctx.body?.refresh_token])
      if (typeof token === "string") issuedTokens.push(token);
  });
  const handle = provider.callback();
  asServer.on("request", (req, res) => {
    if (!req.url?.startsWith("/interaction/")) return handle(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (next === null) throw new Error("the test did not say who logs in (loginAs)");
      const grant = new provider.Grant({ accountId: next, clientId: details.params.client_id ?? clientId });
      const withResources = grant as typeof grant & { addResourceScope(resource: string, scope: string): void };
      grant.addOIDCScope(`openid offline_access ${SCOPE}`);
      withResources.addResourceScope(resource, SCOPE);
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: next }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch((caught: unknown) => {
      res.statusCode = 500;
      res.end(String(caught));
    });
  });

  const keys = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  mcpServer.on("request", (req, res) => {
    void serveMcp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function serveMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", resource).pathname;
    if (path.startsWith("/.well-known/oauth-protected-resource")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ resource, authorization_servers: [issuer], scopes_supported: [SCOPE] }));
      return;
    }
    const header = req.headers.authorization ?? "";
    authorizations.push(header);
    let claims: { sub?: string; jti?: string };
    try {
      ({ payload: claims } = await jwtVerify(header.replace(/^Bearer /, ""), keys, { issuer, audience: resource }));
    } catch {
      res.writeHead(401, {
        "www-authenticate": `Bearer resource_metadata="${new URL("/.well-known/oauth-protected-resource/mcp", resource).href}"`,
      });
      res.end();
      return;
    }
    const sub = claims.sub ?? "";
    calls.push({ sub, jti: claims.jti ?? "" });
    const body = req.method === "POST" ? await readJson(req) : undefined;
    const id = req.headers["mcp-session-id"];
    let transport = typeof id === "string" ? sessions.get(id) : undefined;
    if (transport === undefined) {
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sessionId) => void sessions.set(sessionId, created),
      });
      const server = new McpServer({ name: "oauth-protected", version: "1.0.0" });
      server.registerTool("whoami", { description: "Who the bearer token says is calling" }, async (extra) => ({
        content: [{ type: "text", text: `sub=${String(extra.authInfo?.extra?.sub ?? "")}` }],
      }));
      await server.connect(created);
      transport = created;
    }
    const authenticated = req as IncomingMessage & { auth?: AuthInfo };
    authenticated.auth = { token: "(verified)", clientId, scopes: [SCOPE], extra: { sub } };
    await transport.handleRequest(authenticated, res, body);
  }

  return {
    url: resource,
    issuer,
    clientId,
    clientSecret,
    calls,
    authorizations,
    issuedTokens,
    serviceClientId,
    serviceClientSecret,
    refreshes: () => refreshCount,
    clientCredentialsGrants: () => clientCredentialsCount,
    loginAs(subject) {
      next = subject;
    },
    async authorize(authorizationUrl, stopAt) {
      const cookies = new Map<string, string>();
      let url = authorizationUrl;
      for (let hop = 0; hop < 20; hop++) {
        if (url.startsWith(stopAt)) return url;
        const response = await fetch(url, {
          redirect: "manual",
          headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
        });
        for (const line of response.headers.getSetCookie()) {
          const pair = line.split(";")[0] ?? "";
          const eq = pair.indexOf("=");
          cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
        }
        const location = response.headers.get("location");
        if (location === null)
          throw new Error(`authorization stopped at ${url}: HTTP ${response.status} ${await response.text()}`);
        url = new URL(location, url).href;
      }
      throw new Error("too many redirects");
    },
    async close() {
      for (const transport of sessions.values()) await transport.close().catch(() => undefined);
      for (const server of [asServer, mcpServer]) server.closeAllConnections();
      await Promise.all([asServer, mcpServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : JSON.parse(text);
}
