/**
 * The stateless 2026-07-28 revision on the same `/mcp` and `/mcp/{server}` URLs as the session-based ones. The MCP
 * SDK v2 entry (`createMcpHandler`, modern-only) owns the revision's wire rules: era classification from the body's
 * `_meta` envelope, the `MCP-Protocol-Version`/`Mcp-Method`/`Mcp-Name` header checks against the body (-32020,
 * HTTP 400), unsupported versions, required client capabilities, `server/discover` and `subscriptions/listen`.
 * Every other request is answered by a gateway session (the same aggregation, tool policy, audit and upstream pool
 * as the session-based path) that stands for the caller's key, endpoint and declared capabilities.
 */

import { randomBytes } from "node:crypto";
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
import type { Bus } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { type ApiKeyInfo, mcpStatelessResume, type QuotaHeadroom } from "@thinkwatch/proto";
import type { TraceContext } from "@thinkwatch/tracing";
import { headroomHeaders, refusalHeaders, type ToolCallQuotaDeps } from "../quota/tool-call-quota.js";
import type { ServerRegistry } from "../registry/registry-watch.js";
import { type DispatchOutcome, GATEWAY_SERVER_INFO, type GatewaySession, RpcAnswerError } from "../session/gateway-session.js";
import type { SessionManager } from "../session/session-manager.js";
import { admitToolCalls, type RefusedCall } from "./tool-call-admission.js";

/** The first revision without sessions; the SDK classifies every later one as modern too. */
const FIRST_MODERN_VERSION = "2026-07-28";

/** A revision of the stateless era (2026-07-28 or later). */
export function isModernVersion(version: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= FIRST_MODERN_VERSION;
}

/** Who sent a stateless request, established by the endpoint before the SDK sees it. */
export interface StatelessCaller {
  key: ApiKeyInfo;
  serverId: string | null;
  requestId: string;
  clientIp: string | null;
  /** The HTTP request span's context: the parent of the tool call's span. */
  trace: TraceContext | undefined;
  /** Set once quota admitted this request's tools/call before the SDK saw it (see serve). */
  admitted?: boolean;
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

/** The key of the one question an input_required result carries (an upstream asks one thing at a time). */
const INPUT_KEY = "upstream";

/**
 * A stateless call waiting for the client's reply to an upstream's question (elicitation, sampling, roots): the
 * upstream call goes on here, on this replica, until the client retries with `requestState` and `inputResponses`.
 */
interface HeldCall {
  keyId: string;
  answer: Extract<DispatchOutcome, { kind: "input" }>["answer"];
  timer: NodeJS.Timeout;
}

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
  /** How long a call waits for the client's reply to an upstream's question (as long as a tool call may take). */
  callTimeoutMs: number,
  /** This replica's name and the bus, so a retry reaching another replica reaches the one holding its call. */
  resume?: { replica: string; bus: Bus },
): StatelessRevision {
  const callerOf = (ctx: ServerContext): StatelessCaller => {
    const caller = ctx.http?.authInfo?.extra?.caller as StatelessCaller | undefined;
    if (caller === undefined) throw new ProtocolError(ProtocolErrorCode.InternalError, "request without a caller");
    return caller;
  };

  /** The caller's backing session and the request's params as the session and upstreams see them. */
  const prepare = async (
    request: { method: string; params?: Record<string, unknown> },
    caller: StatelessCaller,
    /** The envelope the SDK lifted out of `_meta` before the handler (absent on a raw body). */
    envelope: Record<string, unknown> = {},
  ) => {
    const params = { ...(request.params ?? {}) } as Record<string, unknown>;
    const meta = { ...((params._meta ?? {}) as Record<string, unknown>), ...envelope };
    // Elicitation, sampling and roots declared here are offered upstream; questions come back as input_required.
    const declared = { ...((meta[CLIENT_CAPABILITIES_META_KEY] ?? {}) as Record<string, unknown>) };
    const clientInfo = (meta[CLIENT_INFO_META_KEY] ?? { name: "stateless-client", version: "0" }) as Record<string, unknown>;
    // The envelope is for the gateway; what the session and the upstreams see is an ordinary request.
    for (const name of Object.keys(meta)) if (name.startsWith("io.modelcontextprotocol/")) delete meta[name];
    if (Object.keys(meta).length === 0) delete params._meta;
    else params._meta = meta;
    const session = await sessions.stateless(caller.key, caller.serverId, declared, clientInfo);
    return { session, params };
  };

  /** Quota for one tools/call; the refusal (already audited) when it is over a limit. */
  const admit = async (
    session: GatewaySession,
    id: string | number,
    params: Record<string, unknown>,
    caller: StatelessCaller,
  ): Promise<{ refused: RefusedCall | null; headroom: QuotaHeadroom | null }> => {
    const admission = await admitToolCalls(
      quota,
      session,
      caller.key,
      [{ jsonrpc: "2.0", id, method: "tools/call", params } as JSONRPCMessage],
      { requestId: caller.requestId, clientIp: caller.clientIp, trace: caller.trace },
    );
    return { refused: admission.refused.get(String(id)) ?? null, headroom: admission.headroom };
  };

  const held = new Map<string, HeldCall>();

  /** A round's outcome as the revision answers it: the result, or input_required with the upstream's question. */
  const answerOf = (outcome: DispatchOutcome, keyId: string): Record<string, unknown> => {
    if (outcome.kind === "result") return outcome.result;
    // The token names this replica, so a retry elsewhere finds its way here.
    const token = `${resume?.replica ?? "local"}.${randomBytes(24).toString("base64url")}`;
    const timer = setTimeout(() => held.delete(token), callTimeoutMs);
    timer.unref();
    held.set(token, { keyId, answer: outcome.answer, timer });
    return {
      resultType: "input_required",
      inputRequests: { [INPUT_KEY]: { method: outcome.method, params: outcome.params } },
      requestState: token,
    };
  };

  /** Another replica holds the call: send it the reply; its answer is this request's (progress of that round is lost). */
  const resumeElsewhere = async (holder: string, keyId: string, token: string, reply: Record<string, unknown>) => {
    if (resume === undefined) throw new ProtocolError(ProtocolErrorCode.InvalidParams, "requestState is unknown or expired");
    const answered = await resume.bus
      .request(mcpStatelessResume(holder), { keyId, token, reply }, { timeoutMs: callTimeoutMs })
      .catch(() => ({
        kind: "error" as const,
        code: ProtocolErrorCode.InvalidParams as number,
        message: "requestState is unknown or expired",
        data: undefined as unknown,
      }));
    if (answered.kind === "error") throw new ProtocolError(answered.code, answered.message, answered.data);
    return answered.result;
  };
  const resumeService = resume?.bus.serve(
    mcpStatelessResume(resume.replica),
    async ({ keyId, token, reply }) => {
      const call = held.get(token);
      if (call === undefined || call.keyId !== keyId) {
        return { kind: "error" as const, code: ProtocolErrorCode.InvalidParams, message: "requestState is unknown or expired" };
      }
      held.delete(token);
      clearTimeout(call.timer);
      try {
        const outcome = await call.answer(reply, () => undefined, new AbortController().signal);
        return { kind: "answer" as const, result: answerOf(outcome, keyId) };
      } catch (caught) {
        if (!(caught instanceof RpcAnswerError)) throw caught;
        return { kind: "error" as const, code: caught.code, message: caught.message, data: caught.data };
      }
    },
    { queue: `mcp-stateless-${resume.replica}` },
  );

  const relay = async (request: JSONRPCRequest, ctx: ServerContext) => {
    if (!RELAYED_METHODS.has(request.method)) {
      throw new ProtocolError(ProtocolErrorCode.MethodNotFound, `Method not found: ${request.method}`);
    }
    const caller = callerOf(ctx);
    const notify = (notification: JSONRPCMessage) => {
      ctx.mcpReq.notify(notification as Notification).catch(() => undefined);
    };
    try {
      const state = ctx.mcpReq.requestState?.();
      if (typeof state === "string") {
        // The client's retry with its reply: the held call continues where it was.
        const reply = ctx.mcpReq.inputResponses?.[INPUT_KEY];
        if (typeof reply !== "object" || reply === null) {
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, `inputResponses.${INPUT_KEY} is missing`);
        }
        const holder = state.slice(0, Math.max(0, state.indexOf(".")));
        if (!held.has(state) && resume !== undefined && /^[a-z0-9]+$/.test(holder) && holder !== resume.replica) {
          return resumeElsewhere(holder, caller.key.id, state, reply as Record<string, unknown>);
        }
        const call = held.get(state);
        if (call === undefined || call.keyId !== caller.key.id) {
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, "requestState is unknown or expired");
        }
        held.delete(state);
        clearTimeout(call.timer);
        return answerOf(await call.answer(reply as Record<string, unknown>, notify, ctx.mcpReq.signal), caller.key.id);
      }
      const { session, params } = await prepare(request, caller, ctx.mcpReq.envelope as Record<string, unknown> | undefined);
      if (request.method === "tools/call" && caller.admitted !== true) {
        // Quota as on the session-based path; a refused call is audited there and answered with its JSON-RPC error.
        const { refused } = await admit(session, request.id, params, caller);
        if (refused !== null && "error" in refused.answer) {
          throw new ProtocolError(refused.answer.error.code, refused.answer.error.message, refused.answer.error.data);
        }
      }
      const outcome = await session.dispatch({ method: request.method, params }, notify, ctx.mcpReq.signal, {
        authInfo: {
          token: "",
          clientId: caller.key.id,
          scopes: [],
          extra: { requestId: caller.requestId, clientIp: caller.clientIp, trace: caller.trace },
        },
      });
      return answerOf(outcome, caller.key.id);
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

  /**
   * A tools/call over a limit is answered HTTP 429 with Retry-After, as on the session-based path — decided before
   * the SDK answers (its answer would be HTTP 200 or a stream). Only for a request whose headers already agree with
   * its body; any other goes to the SDK, which refuses the mismatch, and quota then answers inside the response.
   */
  const admitFirst = async (
    request: Request,
    body: unknown,
    caller: StatelessCaller,
  ): Promise<{ refused: Response } | { headroom: QuotaHeadroom | null } | null> => {
    const call = body as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: { name?: unknown } };
    if (typeof call !== "object" || call === null || Array.isArray(call) || call.method !== "tools/call") return null;
    if (typeof call.id !== "string" && typeof call.id !== "number") return null;
    const name = call.params?.name;
    if (typeof name !== "string") return null;
    // A retry carrying the client's reply continues an admitted call: not counted again.
    if ("requestState" in (call.params ?? {})) return null;
    const version = request.headers.get("mcp-protocol-version");
    if (version === null || !isModernVersion(version)) return null;
    if (request.headers.get("mcp-method") !== "tools/call" || request.headers.get("mcp-name") !== name) return null;
    const { session, params } = await prepare({ method: "tools/call", params: call.params as Record<string, unknown> }, caller);
    const { refused, headroom } = await admit(session, call.id, params, caller);
    caller.admitted = true;
    if (refused === null) return { headroom };
    return {
      refused: new Response(JSON.stringify(refused.answer), {
        status: 429,
        headers: { "content-type": "application/json", ...refusalHeaders(refused.refusal) },
      }),
    };
  };

  return {
    claims: async (request, body) => !(await isLegacyRequest(request, body)),
    serve: async (request, body, caller) => {
      const admitted = quota.quotaIndex.anyOnSurface("mcp_gateway") ? await admitFirst(request, body, caller) : null;
      if (admitted !== null && "refused" in admitted) return admitted.refused;
      const response = await handler.fetch(request, {
        parsedBody: body,
        authInfo: { token: "", clientId: caller.key.id, scopes: [], extra: { caller } },
      });
      if (admitted?.headroom == null) return response;
      // The tightest counter, as x-ratelimit-* on the session-based path.
      const headers = new Headers(response.headers);
      for (const [name, value] of Object.entries(headroomHeaders(admitted.headroom))) headers.set(name, value);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    },
    toolsChanged: () => handler.notify.toolsChanged(),
    close: () => {
      resumeService?.unsubscribe();
      for (const call of held.values()) clearTimeout(call.timer);
      held.clear();
      return handler.close();
    },
  };
}
