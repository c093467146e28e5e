/**
 * One MCP client session to one upstream server, over the server's transport: Streamable HTTP, the legacy HTTP+SSE
 * transport, or a stdio child process (explicit command, arguments and environment; nothing inherited but PATH).
 * The client declares the capabilities the gateway can relay (elicitation, sampling, roots) so upstream requests of
 * those kinds reach the downstream client that asked for them.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import type { UpstreamServer } from "../registry/registry-watch.js";
import { deliverResponsesAfterNotifications } from "./ordered-delivery.js";
import type { UpstreamFetch, UpstreamTrace } from "./upstream-fetch.js";

export const GATEWAY_CLIENT_INFO = { name: "thinkwatch-mcp-gateway", version: "0.1.0" };

/** Per-request credentials (OAuth bearer of the session's user or service account); see user-oauth.ts. */
export type AuthHeaders = () => Promise<Record<string, string>>;
const NO_AUTH: AuthHeaders = async () => ({});

function transportFor(server: UpstreamServer, http: UpstreamFetch, auth: AuthHeaders, trace: UpstreamTrace): Transport {
  switch (server.transport) {
    case "streamable_http":
      return new StreamableHTTPClientTransport(new URL(requireUrl(server)), {
        fetch: http.withHeaders(server.secrets, auth, trace),
      });
    case "sse":
      return new SSEClientTransport(new URL(requireUrl(server)), { fetch: http.withHeaders(server.secrets, auth, trace) });
    case "stdio": {
      if (server.command === null) throw new Error(`stdio server ${server.name} has no command`);
      return new StdioClientTransport({
        command: server.command,
        args: server.args,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...server.env, ...server.secrets },
        stderr: "ignore",
      });
    }
  }
}

function requireUrl(server: UpstreamServer): string {
  if (server.url === null) throw new Error(`${server.transport} server ${server.name} has no url`);
  return server.url;
}

export async function connectUpstream(
  server: UpstreamServer,
  capabilities: ClientCapabilities,
  timeoutMs: number,
  http: UpstreamFetch,
  auth: AuthHeaders = NO_AUTH,
  trace: UpstreamTrace = () => undefined,
): Promise<Client> {
  const client = new Client(GATEWAY_CLIENT_INFO, { capabilities });
  const transport = transportFor(server, http, auth, trace);
  try {
    await client.connect(transport, { timeout: timeoutMs });
  } catch (caught) {
    http.reportHealth?.(server.name, false, caught instanceof Error ? caught.message.slice(0, 300) : String(caught));
    throw caught;
  }
  http.reportHealth?.(server.name, true, null);
  deliverResponsesAfterNotifications(transport);
  return client;
}
