/**
 * mcp.v1.servers.test and mcp.v1.catalog: admin-api's questions about upstream servers, answered here because only
 * mcp-proxy speaks MCP upstream. A test connects with the given (not yet saved) settings and lists what the server
 * offers, with the credentials of the server's auth mode; the catalog lists every enabled server's tools under their exposed names.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Bus } from "@thinkwatch/bus";
import type { Keyring } from "@thinkwatch/crypto";
import type { Logger } from "@thinkwatch/log";
import { McpCatalog, McpServerTest, type McpToolInfo } from "@thinkwatch/proto";
import { exposedName } from "../catalog/names.js";
import type { ServerRegistry } from "../registry/registry-watch.js";
import { decryptSecrets, type UpstreamServer } from "../registry/registry-watch.js";
import { type AuthHeaders, connectUpstream } from "../upstream/connect-upstream.js";
import { notLinkedServer } from "../upstream/link-required.js";
import type { UpstreamFetch } from "../upstream/upstream-fetch.js";
import { fetchClientCredentials, type UpstreamAuth } from "../upstream/user-oauth.js";

async function listTools(server: UpstreamServer, client: Client): Promise<McpToolInfo[]> {
  if (client.getServerCapabilities()?.tools === undefined) return [];
  const tools: McpToolInfo[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page += 1) {
    const result = await client.listTools(cursor === undefined ? {} : { cursor });
    for (const tool of result.tools) {
      tools.push({
        server: server.name,
        serverId: server.id,
        exposedName: exposedName(server.prefix, tool.name),
        name: tool.name,
        title: tool.title ?? tool.annotations?.title ?? null,
        description: tool.description ?? null,
      });
    }
    if (result.nextCursor === undefined) break;
    cursor = result.nextCursor;
  }
  return tools;
}

async function withTemporaryClient<T>(
  server: UpstreamServer,
  timeoutMs: number,
  http: UpstreamFetch,
  use: (client: Client) => Promise<T>,
  auth?: AuthHeaders,
) {
  const client = await connectUpstream(server, {}, timeoutMs, http, auth);
  try {
    return await use(client);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * The credentials a test uses, by the server's auth mode: a per-user OAuth server is tested as the admin running the
 * test (with their own linked account), a client-credentials server with a token fetched for this test only (the
 * settings may not be saved yet, so nothing is cached under the server's id).
 */
function testCredentials(
  server: UpstreamServer,
  keyring: Keyring,
  http: UpstreamFetch,
  upstreamAuth: UpstreamAuth,
  userId: string | undefined,
) {
  switch (server.authMode) {
    case "static":
      return undefined;
    case "client_credentials":
      return async () => ({ authorization: `Bearer ${(await fetchClientCredentials(server, keyring, http.oauthFetch)).token}` });
    case "per_user_oauth":
      return () => upstreamAuth.headers(server, userId ?? "");
  }
}

export function registerMcpAdmin(
  bus: Bus,
  registry: ServerRegistry,
  keyring: Keyring,
  log: Logger,
  timeoutMs: number,
  http: UpstreamFetch,
  upstreamAuth: UpstreamAuth,
): void {
  bus.serve(McpServerTest, async ({ server: entry, userId }) => {
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    try {
      const server: UpstreamServer = { ...entry, secrets: decryptSecrets(entry, keyring) };
      const auth = testCredentials(server, keyring, http, upstreamAuth, userId);
      return await withTemporaryClient(
        server,
        timeoutMs,
        http,
        async (client) => {
          const capabilities = client.getServerCapabilities() ?? {};
          const info = client.getServerVersion();
          return {
            ok: true,
            error: null,
            serverInfo: info === undefined ? null : { name: info.name, version: info.version },
            protocolVersion: null,
            tools: await listTools(server, client),
            prompts: capabilities.prompts === undefined ? 0 : (await client.listPrompts()).prompts.length,
            resources: capabilities.resources === undefined ? 0 : (await client.listResources()).resources.length,
            latencyMs: latencyMs(),
          };
        },
        auth,
      );
    } catch (caught) {
      const unlinked = notLinkedServer(caught);
      const message =
        unlinked !== null
          ? `"${unlinked.name}" uses per-user OAuth and is tested with your own account: choose "Link my account" on it first`
          : caught instanceof Error
            ? caught.message
            : String(caught);
      return {
        ok: false,
        error: message.slice(0, 500),
        serverInfo: null,
        protocolVersion: null,
        tools: [],
        prompts: 0,
        resources: 0,
        latencyMs: latencyMs(),
      };
    }
  });

  // Each server is listed with the credentials its auth mode calls for, as a test would: a per-user OAuth server
  // with the asking admin's own linked account, a client-credentials server with its service token.
  bus.serve(McpCatalog, async ({ userId }) => {
    const results = await Promise.all(
      registry.servers().map(async (server) => {
        try {
          const auth = testCredentials(server, keyring, http, upstreamAuth, userId);
          return {
            tools: await withTemporaryClient(server, timeoutMs, http, (client) => listTools(server, client), auth),
            error: null,
          };
        } catch (caught) {
          const unlinked = notLinkedServer(caught);
          if (unlinked === null)
            log.warn({ err: caught, server: server.name }, "cannot list an MCP server's tools for the catalog");
          const message =
            unlinked !== null
              ? `"${server.name}" uses per-user OAuth and is listed with your own account: choose "Link my account" on it first`
              : caught instanceof Error
                ? caught.message.slice(0, 500)
                : String(caught);
          return { tools: [], error: { server: server.name, error: message } };
        }
      }),
    );
    return {
      tools: results.flatMap((r) => r.tools).sort((a, b) => a.exposedName.localeCompare(b.exposedName)),
      errors: results.flatMap((r) => (r.error === null ? [] : [r.error])),
    };
  });
}
