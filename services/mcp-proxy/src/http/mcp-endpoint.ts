/**
 * `/mcp` (every permitted server, aggregated) and `/mcp/{server}` (one server, original names) over Streamable HTTP
 * (session-based revisions 2024-11-05 … 2025-11-25; a POST of the stateless 2026-07-28 revision goes to
 * stateless-revision.ts): POST carries JSON-RPC messages and is answered with JSON or an
 * SSE stream, GET opens the session's server→client stream, DELETE ends the session. Every request is
 * authenticated with a `tw-` key enabled for the MCP surface; a foreign Origin is refused (DNS rebinding). The
 * tools/call requests of a POST pass quota first (see tool-call-admission.ts): a lone refused call is answered 429.
 */
import {
  isInitializeRequest,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";
import { toAppError } from "@thinkwatch/errors";
import { authenticateSurface, type IntakeLease, type IntakeLimits, type KeyVerifier } from "@thinkwatch/gateway-auth";
import { type AppEnv, nodeIncoming } from "@thinkwatch/http";
import type { ApiKeyInfo } from "@thinkwatch/proto";
import type { Context, Hono } from "hono";
import { headroomHeaders, refusalHeaders, type ToolCallQuotaDeps } from "../quota/tool-call-quota.js";
import type { ServerRegistry } from "../registry/registry-watch.js";
import type { GatewaySession } from "../session/gateway-session.js";
import { type SessionManager, UnknownEventIdError } from "../session/session-manager.js";
import { JSON_RPC, rpcError } from "./json-rpc.js";
import { resourceMetadataUrl } from "./protected-resource.js";
import { createJsonExchange, createSseExchange, createStandaloneStream } from "./sse-exchange.js";
import { isModernVersion, type StatelessRevision } from "./stateless-revision.js";
import { admitToolCalls } from "./tool-call-admission.js";

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const SESSION_HEADER = "mcp-session-id";
const VERSION_HEADER = "mcp-protocol-version";
/** Batches were removed from the protocol in this revision. */
const NO_BATCH_SINCE = "2025-06-18";

export interface McpEndpointDeps {
  keys: KeyVerifier;
  sessions: SessionManager;
  registry: ServerRegistry;
  /** The stateless 2026-07-28 revision, answered on the same URLs. */
  stateless: StatelessRevision;
  allowedOrigins: readonly string[];
  keepAliveMs: number;
  /** Rate limits on tools/call (per key, user, team and MCP server). */
  quota: ToolCallQuotaDeps;
  /** The key's concurrent POSTs and the process's in-flight body bytes (gateway settings, as on ai-proxy). */
  intake: IntakeLimits;
}

function fail(c: Context, status: number, code: number, message: string, headers: Record<string, string> = {}) {
  return c.json(rpcError(null, code, message), status as 400, headers);
}

const LOCAL_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1 would reach a local gateway with
 * `Host: evil.example` and `Origin: http://evil.example`, so matching the Origin against the Host proves nothing.
 * Browsers always send an Origin on these requests; only localhost origins and the configured ones are accepted.
 * Clients that are not browsers send no Origin and are judged by their key alone.
 */
function originAllowed(c: Context, allowed: readonly string[]): boolean {
  const origin = c.req.header("origin");
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return LOCAL_HOSTNAMES.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

function clientIpOf(c: Context): string | null {
  return nodeIncoming(c)?.socket.remoteAddress ?? null;
}

export function registerMcpEndpoint(app: Hono<AppEnv>, deps: McpEndpointDeps): void {
  /** Authenticate, check the origin and find the `/mcp/{server}` server; a Response when the request must stop here. */
  async function admit(c: Context<AppEnv>): Promise<{ key: ApiKeyInfo; serverId: string | null } | Response> {
    if (!originAllowed(c, deps.allowedOrigins)) return fail(c, 403, JSON_RPC.invalidRequest, "Forbidden: origin not allowed");
    let key: ApiKeyInfo;
    try {
      key = await authenticateSurface(deps.keys, c.req.raw, "mcp_gateway", c.get("trace"));
    } catch (caught) {
      const error = toAppError(caught);
      const headers: Record<string, string> =
        error.status === 401 ? { "www-authenticate": `Bearer resource_metadata="${resourceMetadataUrl(c)}"` } : {};
      return c.json(rpcError(null, JSON_RPC.invalidRequest, error.message, { code: error.code }), error.status as 401, headers);
    }
    const name = c.req.param("server");
    if (name === undefined) return { key, serverId: null };
    const server = deps.registry.byName(name) ?? deps.registry.byPrefix(name);
    if (server === undefined) return fail(c, 404, JSON_RPC.invalidRequest, `no MCP server named '${name}'`);
    return { key, serverId: server.id };
  }

  /**
   * GET and DELETE act on a session. Without one there is nothing to act on: 405, which clients take as "no stream
   * here" — a 2026-07-28 client (no sessions, no GET stream in that revision; `subscriptions/listen` instead) is told
   * only POST is allowed; a session-based client before initialize, that GET and DELETE need a session.
   */
  function withoutSession(c: Context<AppEnv>): Response | null {
    if ((c.req.header(SESSION_HEADER) ?? "") !== "") return null;
    const version = c.req.header(VERSION_HEADER);
    if (version !== undefined && isModernVersion(version)) {
      return fail(c, 405, JSON_RPC.serverError, "Method not allowed: this revision has no GET stream or sessions", {
        allow: "POST",
      });
    }
    return fail(c, 405, JSON_RPC.serverError, "Method not allowed: GET and DELETE need an established session", {
      allow: "GET, POST, DELETE",
    });
  }

  async function sessionOf(c: Context<AppEnv>, key: ApiKeyInfo, serverId: string | null): Promise<GatewaySession | Response> {
    const id = c.req.header(SESSION_HEADER);
    if (id === undefined || id === "") {
      return fail(c, 400, JSON_RPC.invalidRequest, "Bad Request: Mcp-Session-Id header is required");
    }
    const session = await deps.sessions.find(id, key);
    if (session === null || session.record.serverId !== serverId) {
      return fail(c, 404, JSON_RPC.invalidRequest, "Session not found");
    }
    const version = c.req.header(VERSION_HEADER);
    if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return fail(
        c,
        400,
        JSON_RPC.invalidRequest,
        `Bad Request: Unsupported protocol version: ${version} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")})`,
      );
    }
    return session;
  }

  /** An intake refusal: the key's concurrent POSTs (429) or the process's body budget (503), retry after a second. */
  function refused(c: Context<AppEnv>, caught: unknown): Response {
    const error = toAppError(caught);
    return fail(c, error.status, JSON_RPC.serverError, error.message, { "retry-after": "1" });
  }

  /**
   * A POST holds one of its key's `perKeyConcurrency` slots until its answer is handed over (a streamed answer flows
   * after), and its body counts against the process's in-flight body budget while it is read and dispatched.
   */
  const post = async (c: Context<AppEnv>) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    let lease: IntakeLease;
    try {
      lease = deps.intake.admit(admitted.key.id);
    } catch (caught) {
      return refused(c, caught);
    }
    try {
      return await postAdmitted(c, admitted, lease);
    } finally {
      lease.release();
    }
  };

  const postAdmitted = async (c: Context<AppEnv>, admitted: { key: ApiKeyInfo; serverId: string | null }, lease: IntakeLease) => {
    const accept = c.req.header("accept") ?? "";
    if (!accept.includes("application/json") && !accept.includes("text/event-stream") && !accept.includes("*/*")) {
      return fail(c, 406, JSON_RPC.invalidRequest, "Not Acceptable: accept application/json and text/event-stream");
    }
    if (!(c.req.header("content-type") ?? "").includes("application/json")) {
      return fail(c, 415, JSON_RPC.invalidRequest, "Unsupported Media Type: Content-Type must be application/json");
    }
    let json: unknown;
    try {
      json = (await lease.readBody(c, MAX_BODY_BYTES)).json;
    } catch (caught) {
      const error = toAppError(caught);
      if (error.code === "unavailable") return refused(c, error);
      return fail(
        c,
        error.status,
        error.code === "payload_too_large" ? JSON_RPC.invalidRequest : JSON_RPC.parseError,
        `Parse error: ${error.message}`,
      );
    }
    if (await deps.stateless.claims(c.req.raw, json)) {
      return deps.stateless.serve(c.req.raw, json, {
        key: admitted.key,
        serverId: admitted.serverId,
        requestId: c.get("requestId"),
        clientIp: clientIpOf(c),
        trace: c.get("trace"),
      });
    }
    const batch = Array.isArray(json);
    const raw = batch ? (json as unknown[]) : [json];
    if (raw.length === 0) return fail(c, 400, JSON_RPC.invalidRequest, "Invalid Request: empty batch");
    const messages: JSONRPCMessage[] = [];
    for (const item of raw) {
      const parsed = JSONRPCMessageSchema.safeParse(item);
      if (!parsed.success) return fail(c, 400, JSON_RPC.invalidRequest, "Invalid Request: not a JSON-RPC 2.0 message");
      messages.push(parsed.data);
    }

    let session: GatewaySession;
    const initialize = messages.find((m) => isInitializeRequest(m));
    if (initialize !== undefined) {
      if (messages.length > 1) return fail(c, 400, JSON_RPC.invalidRequest, "Invalid Request: initialize must be sent alone");
      session = await deps.sessions.create(admitted.key, admitted.serverId, initialize);
    } else {
      const found = await sessionOf(c, admitted.key, admitted.serverId);
      if (found instanceof Response) return found;
      session = found;
      if (batch && session.record.protocolVersion >= NO_BATCH_SINCE) {
        return fail(
          c,
          400,
          JSON_RPC.invalidRequest,
          `Invalid Request: batching is not supported in protocol ${session.record.protocolVersion}`,
        );
      }
    }

    const headers: Record<string, string> = { [SESSION_HEADER]: session.record.id };
    const extra = {
      authInfo: {
        token: "",
        clientId: admitted.key.id,
        scopes: [],
        extra: { requestId: c.get("requestId"), clientIp: clientIpOf(c), trace: c.get("trace") },
      },
    };
    const requestIds = messages.filter((m) => "method" in m && "id" in m).map((m) => (m as { id: string | number }).id);
    if (requestIds.length === 0) {
      session.transport.deliver(messages, null, extra);
      return c.body(null, 202, headers);
    }

    const quota = await admitToolCalls(deps.quota, session, admitted.key, messages, {
      requestId: c.get("requestId"),
      clientIp: clientIpOf(c),
      trace: c.get("trace"),
    });
    const [lone] = quota.refused.values();
    if (lone !== undefined && messages.length === 1) {
      return c.json(batch ? [lone.answer] : lone.answer, 429, { ...headers, ...refusalHeaders(lone.refusal) });
    }
    if (quota.headroom !== null) Object.assign(headers, headroomHeaders(quota.headroom));
    const answered = new Map([...quota.refused].map(([id, refused]) => [id, refused.answer]));

    // A client that goes away from a stream it can resume (its events are kept) has not cancelled anything: the
    // calls go on and their answers reach the stream it resumes. Otherwise going away cancels what it was waiting
    // for, which cancels the upstream calls.
    const streaming = accept.includes("text/event-stream");
    const events = streaming ? deps.sessions.postEvents(session) : null;
    const cancelOnAbort = () => {
      const waiting = new Set(session.transport.inFlight());
      const cancels = requestIds
        .filter((id) => waiting.has(String(id)))
        .map(
          (requestId) =>
            ({
              jsonrpc: "2.0",
              method: "notifications/cancelled",
              params: { requestId, reason: "client disconnected" },
            }) as JSONRPCMessage,
        );
      if (cancels.length > 0) session.transport.deliver(cancels, null);
    };
    if (events === null) c.req.raw.signal.addEventListener("abort", cancelOnAbort, { once: true });

    if (streaming) {
      const { exchange, body } = createSseExchange(events, (message, eventId) =>
        session.transport.toStandalone(message, eventId),
      );
      session.transport.deliver(messages, exchange, extra, answered);
      return c.body(body, 200, { ...headers, "content-type": "text/event-stream", "cache-control": "no-cache" });
    }
    const { exchange, answers } = createJsonExchange(batch);
    session.transport.deliver(messages, exchange, extra, answered);
    return c.json((await answers) as object, 200, headers);
  };

  const get = async (c: Context<AppEnv>) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    const unsessioned = withoutSession(c);
    if (unsessioned !== null) return unsessioned;
    if (!(c.req.header("accept") ?? "").includes("text/event-stream")) {
      return fail(c, 406, JSON_RPC.invalidRequest, "Not Acceptable: accept text/event-stream");
    }
    const session = await sessionOf(c, admitted.key, admitted.serverId);
    if (session instanceof Response) return session;
    let streamClosed = false;
    let closeStream: (() => void) | null = null;
    const { sink, body } = createStandaloneStream(deps.keepAliveMs, () => {
      streamClosed = true;
      closeStream?.();
    });
    const lastEventId = c.req.header("last-event-id");
    try {
      closeStream = await deps.sessions.openStream(session, sink, lastEventId === "" ? undefined : lastEventId);
    } catch (caught) {
      if (!(caught instanceof UnknownEventIdError)) throw caught;
      await body.cancel();
      return fail(c, 400, JSON_RPC.invalidRequest, "Bad Request: Last-Event-ID is not an event of this session");
    }
    if (streamClosed) closeStream();
    return c.body(body, 200, {
      [SESSION_HEADER]: session.record.id,
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
    });
  };

  const del = async (c: Context<AppEnv>) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    const unsessioned = withoutSession(c);
    if (unsessioned !== null) return unsessioned;
    const session = await sessionOf(c, admitted.key, admitted.serverId);
    if (session instanceof Response) return session;
    await deps.sessions.end(session);
    return c.body(null, 200);
  };

  for (const path of ["/mcp", "/mcp/:server"]) {
    app.post(path, post);
    app.get(path, get);
    app.delete(path, del);
    app.on(["PUT", "PATCH"], path, (c) =>
      fail(c, 405, JSON_RPC.invalidRequest, "Method not allowed", { allow: "GET, POST, DELETE" }),
    );
  }
}
