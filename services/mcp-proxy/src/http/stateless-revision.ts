/**
 * The stateless 2026-07-28 revision on the same `/mcp` and `/mcp/{server}` URLs as the session-based ones. The MCP
 * SDK v2 entry (`createMcpHandler`, modern-only) owns the revision's wire rules: era classification from the body's
 * `_meta` envelope, the `MCP-Protocol-Version`/`Mcp-Method`/`Mcp-Name` header checks against the body (-32020,
 * HTTP 400), unsupported versions, required client capabilities, `server/discover` and `subscriptions/listen`.
 * Every other request is answered by a gateway session (the same aggregation, tool policy, audit and upstream pool
 * as the session-based path) that stands for the caller's key, endpoint and declared capabilities.
 */

import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  createMcpHandler,
  isLegacyRequest,
  type JSONRPCRequest,
  type Notification,
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type ServerContext,
} from "@modelcontextprotocol/server";
import type { Logger } from "@thinkwatch/log";
import type { ApiKeyInfo } from "@thinkwatch/proto";
import type { ToolCallQuotaDeps } from "../quota/tool-call-quota.js";
import type { ServerRegistry } from "../registry/registry-watch.js";
import { GATEWAY_SERVER_INFO, RpcAnswerError } from "../session/gateway-session.js";
import type { SessionManager } from "../session/session-manager.js";
import { admitToolCalls } from "./tool-call-admission.js";

/** Who sent a stateless request, established by the endpoint before the SDK sees it. */
export interface StatelessCaller {
  key: ApiKeyInfo;
  serverId: string | null;
  requestId: string;
  clientIp: string | null;
}

/** Methods a gateway session answers; anything else (besides the SDK's own) is unknown in this revision. */
const RELAYED_METHODS = new Set([
  "tools/list",
  "tools/call",
  "prompts/list",
  "prompts/get",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "completion/complete",
]);

/**
 * Capabilities that let an upstream send requests to the client. This revision has no server→client requests on
 * a response stream, so they are not offered upstream on behalf of a stateless caller.
 */
const SERVER_TO_CLIENT = ["elicitation", "sampling", "roots"];

export interface StatelessRevision {
  /** The request belongs to the stateless revision (carries its `_meta` envelope or names a modern version). */
  claims(request: Request, body: unknown): Promise<boolean>;
  serve(request: Request, body: unknown, caller: StatelessCaller): Promise<Response>;
  /** Tell `subscriptions/listen` streams the tool list changed (a permission change). */
  toolsChanged(): void;
  close(): Promise<void>;
}

export function createStatelessRevision(
  sessions: SessionManager,
  registry: ServerRegistry,
  quota: ToolCallQuotaDeps,
  log: Logger,
): StatelessRevision {
  const callerOf = (ctx: ServerContext): StatelessCaller => {
    const caller = ctx.http?.authInfo?.extra?.caller as StatelessCaller | undefined;
    if (caller === undefined) throw new ProtocolError(ProtocolErrorCode.InternalError, "request without a caller");
    return caller;
  };

  const relay = async (request: JSONRPCRequest, ctx: ServerContext) => {
    if (!RELAYED_METHODS.has(request.method)) {
      throw new ProtocolError(ProtocolErrorCode.MethodNotFound, `Method not found: ${request.method}`);
    }
    const caller = callerOf(ctx);
    const params = { ...(request.params ?? {}) } as Record<string, unknown>;
    const meta = { ...((params._meta ?? {}) as Record<string, unknown>) };
    const declared = { ...((meta[CLIENT_CAPABILITIES_META_KEY] ?? {}) as Record<string, unknown>) };
    for (const capability of SERVER_TO_CLIENT) delete declared[capability];
    const clientInfo = (meta[CLIENT_INFO_META_KEY] ?? { name: "stateless-client", version: "0" }) as Record<string, unknown>;
    // The envelope is for the gateway; what the session and the upstreams see is an ordinary request.
    for (const name of Object.keys(meta)) if (name.startsWith("io.modelcontextprotocol/")) delete meta[name];
    if (Object.keys(meta).length === 0) delete params._meta;
    else params._meta = meta;

    const session = await sessions.stateless(caller.key, caller.serverId, declared, clientInfo);
    if (request.method === "tools/call") {
      // Quota as on the session-based path; a refused call is audited there and answered with its JSON-RPC error.
      const admission = await admitToolCalls(
        quota,
        session,
        caller.key,
        [{ jsonrpc: "2.0", id: request.id, method: request.method, params } as JSONRPCMessage],
        { requestId: caller.requestId, clientIp: caller.clientIp },
      );
      const refused = admission.refused.get(String(request.id));
      if (refused !== undefined && "error" in refused.answer) {
        throw new ProtocolError(refused.answer.error.code, refused.answer.error.message, refused.answer.error.data);
      }
    }
    try {
      return await session.dispatch(
        { method: request.method, params },
        (notification) => {
          ctx.mcpReq.notify(notification as Notification).catch(() => undefined);
        },
        ctx.mcpReq.signal,
        {
          authInfo: {
            token: "",
            clientId: caller.key.id,
            scopes: [],
            extra: { requestId: caller.requestId, clientIp: caller.clientIp },
          },
        },
      );
    } catch (caught) {
      if (caught instanceof RpcAnswerError) throw new ProtocolError(caught.code, caught.message, caught.data);
      throw caught;
    }
  };

  const handler = createMcpHandler(
    () => {
      const server = new Server(GATEWAY_SERVER_INFO, {
        capabilities: {
          tools: { listChanged: true },
          prompts: { listChanged: true },
          resources: { listChanged: true },
          completions: {},
        },
        instructions: "ThinkWatch MCP gateway: the tools of every MCP server you may use, named <server>__<tool>.",
      });
      server.fallbackRequestHandler = relay;
      return server;
    },
    {
      legacy: "reject",
      onerror: (error) => log.debug({ err: error.message }, "stateless MCP request rejected or failed"),
    },
  );
  // Every replica watches the registry, so each tells its own listeners.
  registry.onChange(() => {
    handler.notify.toolsChanged();
    handler.notify.promptsChanged();
    handler.notify.resourcesChanged();
  });

  return {
    claims: async (request, body) => !(await isLegacyRequest(request, body)),
    serve: (request, body, caller) =>
      handler.fetch(request, {
        parsedBody: body,
        authInfo: { token: "", clientId: caller.key.id, scopes: [], extra: { caller } },
      }),
    toolsChanged: () => handler.notify.toolsChanged(),
    close: () => handler.close(),
  };
}
