/**
 * One downstream MCP session through the gateway: the SDK's Server answering the client, backed by the session's own
 * upstream clients. Lists merge every permitted server under exposed names; calls are routed back by name, checked
 * against the key's tool policy, relayed with progress and cancellation, and audited. Requests an upstream makes of
 * the client (elicitation, sampling, roots) are forwarded only when the client declared that capability.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  type CallToolRequest,
  CallToolRequestSchema,
  type CallToolResult,
  type ClientCapabilities,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  type JSONRPCMessage,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  type MessageExtraInfo,
  ReadResourceRequestSchema,
  ResultSchema,
  type ServerNotification,
  type ServerRequest,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  type Tool,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "@thinkwatch/log";
import type { ApiKeyInfo } from "@thinkwatch/proto";
import { contextOf, endSpan, startSpan, type TraceContext, withContext } from "@thinkwatch/tracing";
import { exposedName, exposedUri, PREFIX_SEPARATOR, parseExposedUri } from "../catalog/names.js";
import { type Located, paginate, SessionCatalog } from "../catalog/session-catalog.js";
import type { ToolPolicy } from "../policy/tool-policy.js";
import type { ServerRegistry, UpstreamServer } from "../registry/registry-watch.js";
import { linkRequiredResult, notLinkedServer } from "../upstream/link-required.js";
import { type ListKind, SessionUpstreams } from "../upstream/session-upstreams.js";
import type { UpstreamFetch } from "../upstream/upstream-fetch.js";
import type { UpstreamAuth } from "../upstream/user-oauth.js";
import { type Exchange, SessionTransport, type StandaloneEvents, type TransportRelay } from "./session-transport.js";
import type { SessionRecord } from "./session-types.js";

export const GATEWAY_SERVER_INFO = { name: "thinkwatch", version: "0.1.0" };
const PAGE_SIZE = 200;

type ToolCallExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ToolCallOutcome {
  session: GatewaySession;
  /** The gateway request id and client address of the HTTP request that carried the call. */
  requestId: string;
  clientIp: string | null;
  server: UpstreamServer | null;
  toolName: string;
  exposedToolName: string;
  arguments: unknown;
  status: "success" | "error" | "denied";
  errorCode: string | null;
  errorMessage: string | null;
  result: unknown;
  latencyMs: number;
  /** The tool call span's context when traced: its audit event carries the trace id and its publish joins it. */
  trace?: TraceContext | undefined;
}

export interface SessionOptions {
  record: SessionRecord;
  key: ApiKeyInfo;
  registry: ServerRegistry;
  policy: ToolPolicy;
  log: Logger;
  connectTimeoutMs: number;
  callTimeoutMs: number;
  http: UpstreamFetch;
  /** Credentials of non-static servers (per-user OAuth, client credentials). */
  upstreamAuth?: UpstreamAuth;
  onToolCall(outcome: ToolCallOutcome): void;
  /** The relay to other replicas (session-based sessions; a stateless one lives on one replica). */
  relay?: TransportRelay | null;
  /** Keeps the standalone stream's events for resumption (session-based sessions). */
  standaloneEvents?: StandaloneEvents | null;
}

export class GatewaySession {
  readonly server: Server;
  readonly transport: SessionTransport;
  readonly upstreams: SessionUpstreams;
  readonly record: SessionRecord;
  key: ApiKeyInfo;
  lastActive = Date.now();
  private clientCapabilities: ClientCapabilities = {};
  private dispatched = 0;
  private toolIndex: Map<string, Located<Tool>> | null = null;
  private readonly catalog: SessionCatalog;

  constructor(private readonly options: SessionOptions) {
    this.record = options.record;
    this.key = options.key;
    this.transport = new SessionTransport(options.record.id, options.relay ?? null, options.standaloneEvents ?? null);
    this.server = new Server(GATEWAY_SERVER_INFO, {
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { listChanged: true, subscribe: true },
        completions: {},
        logging: {},
      },
      instructions: "ThinkWatch MCP gateway: the tools of every MCP server you may use, named <server>__<tool>.",
    });
    this.server.oninitialized = () => {
      this.clientCapabilities = this.server.getClientCapabilities() ?? {};
    };
    const log = options.log.child({ mcpSession: options.record.id });
    this.upstreams = new SessionUpstreams(
      {
        capabilities: () => this.server.getClientCapabilities() ?? this.clientCapabilities,
        request: (server, method, params) => this.relayRequest(server, method, params),
        notify: (server, method, params) => this.relayNotification(server, method, params),
        listChanged: (_server, kind) => this.listChanged(kind),
      },
      log,
      options.connectTimeoutMs,
      options.http,
      (server) => () => options.upstreamAuth?.headers(server, options.record.userId) ?? Promise.resolve({}),
    );
    this.catalog = new SessionCatalog(
      { servers: () => this.servers(), namespaced: options.record.serverId === null },
      this.upstreams,
      log,
    );
    this.registerHandlers();
  }

  /** Servers this session may reach. */
  servers(): readonly UpstreamServer[] {
    const all = this.options.registry.servers();
    return this.record.serverId === null ? all : all.filter((s) => s.id === this.record.serverId);
  }

  async connect(): Promise<void> {
    await this.server.connect(this.transport);
  }

  /**
   * The permitted server list or their tools changed (registry revision, permission change, upstream notice). Every
   * replica sees registry and permission changes (`everywhere`), so only the one holding the client's stream tells it.
   */
  listChanged(kind: ListKind, everywhere = false): void {
    if (kind === "tools") this.toolIndex = null;
    if (everywhere && !this.transport.hasStandalone()) return;
    const method = `notifications/${kind}/list_changed` as const;
    this.server.notification({ method }).catch(() => undefined);
  }

  /**
   * Answer one request outside a Streamable HTTP exchange (the stateless revision): the request goes through the same
   * Server and handlers under a gateway-made id, so requests of concurrent callers never collide; notifications
   * related to it (progress) go to `notify`; a JSON-RPC error answer is thrown as `RpcAnswerError`. When an upstream
   * asks the client something (elicitation, sampling, roots) the outcome is that question, with `answer` to carry the
   * client's reply back and wait for what comes next — the revision's input_required round trip.
   */
  dispatch(
    request: { method: string; params?: Record<string, unknown> },
    notify: (message: JSONRPCMessage) => void,
    signal: AbortSignal,
    extra?: MessageExtraInfo,
  ): Promise<DispatchOutcome> {
    this.lastActive = Date.now();
    const id = `stateless-${++this.dispatched}`;
    let round: Round | null = null;
    let finished = false;
    const cancel = () => {
      if (finished) return;
      finished = true;
      this.transport.deliver(
        [{ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: "client went away" } }],
        null,
      );
    };
    const startRound = (roundNotify: typeof notify, roundSignal: AbortSignal) =>
      new Promise<DispatchOutcome>((resolve, reject) => {
        const onAbort = () => {
          cancel();
          reject(new RpcAnswerError(ErrorCode.RequestTimeout, "Request cancelled"));
        };
        roundSignal.addEventListener("abort", onAbort, { once: true });
        round = {
          notify: roundNotify,
          settle: (outcome) => {
            roundSignal.removeEventListener("abort", onAbort);
            round = null;
            if (outcome instanceof Error) reject(outcome);
            else resolve(outcome);
          },
        };
      });
    const answer =
      (questionId: string | number) => (reply: Record<string, unknown>, next: typeof notify, nextSignal: AbortSignal) => {
        const outcome = startRound(next, nextSignal);
        this.lastActive = Date.now();
        this.transport.deliver([{ jsonrpc: "2.0", id: questionId, result: reply } as JSONRPCMessage], null);
        return outcome;
      };
    const exchange: Exchange = {
      streaming: true,
      write: (message) => {
        if ("method" in message && "id" in message) {
          // The Server asks the client (an upstream's elicitation, sampling or roots request): a round ends here.
          round?.settle({
            kind: "input",
            method: message.method,
            params: (message.params ?? {}) as Record<string, unknown>,
            answer: answer(message.id),
          });
          return;
        }
        if (!("id" in message) || "method" in message) {
          round?.notify(message);
          return;
        }
        finished = true;
        if ("error" in message) round?.settle(new RpcAnswerError(message.error.code, message.error.message, message.error.data));
        else round?.settle({ kind: "result", result: message.result as Record<string, unknown> });
      },
      finish: () => {
        if (!finished) round?.settle(new RpcAnswerError(ErrorCode.InternalError, "the gateway session closed"));
      },
    };
    const first = startRound(notify, signal);
    this.transport.deliver([{ jsonrpc: "2.0", id, ...request } as JSONRPCMessage], exchange, extra);
    return first;
  }

  async close(): Promise<void> {
    await this.upstreams.closeAll();
    await this.server.close().catch(() => undefined);
  }

  /** One tools/call: policy, locate, relay with progress, audit (the span around it is opened by the handler). */
  private async callTool(
    request: CallToolRequest,
    extra: ToolCallExtra,
    trace: TraceContext | undefined,
  ): Promise<CallToolResult> {
    const started = performance.now();
    const exposed = request.params.name;
    const via = (extra.authInfo?.extra ?? {}) as { requestId?: unknown; clientIp?: unknown };
    const finish = (
      outcome: Omit<ToolCallOutcome, "session" | "exposedToolName" | "arguments" | "latencyMs" | "requestId" | "clientIp">,
    ) =>
      this.options.onToolCall({
        ...outcome,
        session: this,
        requestId: typeof via.requestId === "string" ? via.requestId : "",
        clientIp: typeof via.clientIp === "string" ? via.clientIp : null,
        exposedToolName: exposed,
        arguments: request.params.arguments ?? {},
        latencyMs: Math.round(performance.now() - started),
        trace,
      });
    const single = this.record.serverId === null ? undefined : this.servers()[0];
    if (!this.options.policy.allows(single === undefined ? exposed : exposedName(single.prefix, exposed))) {
      finish({
        server: null,
        toolName: exposed,
        status: "denied",
        errorCode: "forbidden",
        errorMessage: "tool not allowed",
        result: null,
      });
      throw new McpError(ErrorCode.InvalidParams, `Tool ${exposed} is not available to this key`);
    }
    const located = await this.locateTool(exposed);
    if (located === null) {
      finish({
        server: null,
        toolName: exposed,
        status: "error",
        errorCode: "unknown_tool",
        errorMessage: "unknown tool",
        result: null,
      });
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${exposed}`);
    }
    const progressToken = request.params._meta?.progressToken;
    const relayed: Array<Promise<unknown>> = [];
    try {
      const result = (await this.upstreams.withClient(
        located.server,
        (client) =>
          client.callTool(
            {
              name: located.original,
              ...(request.params.arguments === undefined ? {} : { arguments: request.params.arguments }),
            },
            undefined,
            {
              signal: extra.signal,
              timeout: this.options.callTimeoutMs,
              resetTimeoutOnProgress: true,
              ...(progressToken === undefined
                ? {}
                : {
                    onprogress: (progress) => {
                      relayed.push(
                        extra
                          .sendNotification({ method: "notifications/progress", params: { ...progress, progressToken } })
                          .catch(() => undefined),
                      );
                    },
                  }),
            },
          ),
        trace,
      )) as CallToolResult;
      // The client must see every progress notification before the result that ends the request.
      await Promise.all(relayed);
      finish({
        server: located.server,
        toolName: located.original,
        status: result.isError === true ? "error" : "success",
        errorCode: result.isError === true ? "tool_error" : null,
        errorMessage: null,
        result,
      });
      return result;
    } catch (caught) {
      const unlinked = notLinkedServer(caught);
      if (unlinked !== null) {
        const result = linkRequiredResult(unlinked);
        finish({
          server: located.server,
          toolName: located.original,
          status: "error",
          errorCode: "not_linked",
          errorMessage: "the user has not linked their account for this server",
          result,
        });
        return result;
      }
      const error = caught as { code?: unknown; message?: unknown };
      finish({
        server: located.server,
        toolName: located.original,
        status: "error",
        errorCode: typeof error.code === "number" ? String(error.code) : "upstream_error",
        errorMessage: typeof error.message === "string" ? error.message.slice(0, 500) : "upstream error",
        result: null,
      });
      throw caught;
    }
  }

  private async toolsIndex(): Promise<Map<string, Located<Tool>>> {
    if (this.toolIndex !== null) return this.toolIndex;
    const tools = await this.catalog.tools();
    // Policies speak exposed names (`<prefix>__<tool>`), on `/mcp/{server}` too where clients see original names.
    const index = new Map(
      tools.filter((t) => this.options.policy.allows(exposedName(t.server.prefix, t.original))).map((t) => [t.item.name, t]),
    );
    this.toolIndex = index;
    return index;
  }

  /** Resolve an exposed tool name without listing when the name was not shortened. */
  private async locateTool(name: string): Promise<{ server: UpstreamServer; original: string } | null> {
    if (this.record.serverId !== null) {
      const server = this.servers()[0];
      return server === undefined ? null : { server, original: name };
    }
    const split = name.indexOf(PREFIX_SEPARATOR);
    if (split > 0) {
      const server = this.servers().find((s) => s.prefix === name.slice(0, split));
      const original = name.slice(split + PREFIX_SEPARATOR.length);
      if (server !== undefined && exposedName(server.prefix, original) === name) return { server, original };
    }
    const located = (await this.toolsIndex()).get(name);
    return located === undefined ? null : { server: located.server, original: located.original };
  }

  /**
   * The upstream server a tools/call for this exposed name goes to, for quota; null when the call will be refused
   * anyway (tool not allowed to this key, unknown tool) — the call handler answers and audits those.
   */
  async toolTarget(name: string): Promise<{ server: UpstreamServer; original: string } | null> {
    if (!this.options.policy.allows(name)) return null;
    return this.locateTool(name);
  }

  /** Audit a tools/call the gateway refused before it reached the session (quota). */
  recordRefusedCall(call: {
    requestId: string;
    clientIp: string | null;
    server: UpstreamServer;
    toolName: string;
    exposedToolName: string;
    arguments: unknown;
    errorCode: string;
    errorMessage: string;
    trace?: TraceContext | undefined;
  }): void {
    this.options.onToolCall({
      trace: call.trace,
      session: this,
      requestId: call.requestId,
      clientIp: call.clientIp,
      server: call.server,
      toolName: call.toolName,
      exposedToolName: call.exposedToolName,
      arguments: call.arguments ?? {},
      status: "denied",
      errorCode: call.errorCode,
      errorMessage: call.errorMessage,
      result: null,
      latencyMs: 0,
    });
  }

  private locatePrompt(name: string): { server: UpstreamServer; original: string } | null {
    if (this.record.serverId !== null) {
      const server = this.servers()[0];
      return server === undefined ? null : { server, original: name };
    }
    const split = name.indexOf(PREFIX_SEPARATOR);
    if (split <= 0) return null;
    const server = this.servers().find((s) => s.prefix === name.slice(0, split));
    return server === undefined ? null : { server, original: name.slice(split + PREFIX_SEPARATOR.length) };
  }

  private locateUri(uri: string): { server: UpstreamServer; original: string } | null {
    if (this.record.serverId !== null) {
      const server = this.servers()[0];
      return server === undefined ? null : { server, original: uri };
    }
    const parsed = parseExposedUri(uri);
    const server = parsed === null ? undefined : this.servers().find((s) => s.prefix === parsed.prefix);
    return server === undefined || parsed === null ? null : { server, original: parsed.uri };
  }

  private registerHandlers(): void {
    const server = this.server;

    server.setRequestHandler(ListToolsRequestSchema, async (request) => {
      this.toolIndex = null;
      const tools = [...(await this.toolsIndex()).values()].map((t) => t.item);
      const { page, nextCursor } = paginateOrThrow(tools, request.params?.cursor);
      return nextCursor === undefined ? { tools: page } : { tools: page, nextCursor };
    });

    server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
      // The parent is the HTTP request's span, handed over with the message (the SDK's dispatch crosses awaits).
      const parent = (extra.authInfo?.extra as { trace?: TraceContext } | undefined)?.trace;
      const span = startSpan("mcp-proxy", "tools/call", {
        requireParent: true,
        attributes: { "mcp.tool.name": request.params.name },
        ...(parent === undefined ? {} : { parent }),
      });
      const trace = contextOf(span);
      return withContext(trace, () => this.callTool(request, extra, trace)).then(
        (result) => {
          endSpan(span, result.isError === true ? new Error("tool_error") : undefined);
          return result;
        },
        (caught: unknown) => {
          endSpan(span, caught);
          throw caught;
        },
      );
    });

    server.setRequestHandler(ListPromptsRequestSchema, async (request) => {
      const prompts = (await this.catalog.prompts()).map((p) => p.item);
      const { page, nextCursor } = paginateOrThrow(prompts, request.params?.cursor);
      return nextCursor === undefined ? { prompts: page } : { prompts: page, nextCursor };
    });

    server.setRequestHandler(GetPromptRequestSchema, async (request) => {
      const located = this.locatePrompt(request.params.name);
      if (located === null) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
      return this.upstreams.withClient(located.server, (client) =>
        client.getPrompt({ ...request.params, name: located.original }),
      );
    });

    server.setRequestHandler(ListResourcesRequestSchema, async (request) => {
      const resources = (await this.catalog.resources()).map((r) => r.item);
      const { page, nextCursor } = paginateOrThrow(resources, request.params?.cursor);
      return nextCursor === undefined ? { resources: page } : { resources: page, nextCursor };
    });

    server.setRequestHandler(ListResourceTemplatesRequestSchema, async (request) => {
      const templates = (await this.catalog.resourceTemplates()).map((r) => r.item);
      const { page, nextCursor } = paginateOrThrow(templates, request.params?.cursor);
      return nextCursor === undefined ? { resourceTemplates: page } : { resourceTemplates: page, nextCursor };
    });

    server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
      const located = this.locateUri(request.params.uri);
      if (located === null) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${request.params.uri}`);
      const result = await this.upstreams.withClient(located.server, (client) =>
        client.readResource({ ...request.params, uri: located.original }),
      );
      return {
        ...result,
        contents: result.contents.map((content) => ({ ...content, uri: this.exposeUri(located.server, content.uri) })),
      };
    });

    for (const [schema, method] of [
      [SubscribeRequestSchema, "subscribeResource"],
      [UnsubscribeRequestSchema, "unsubscribeResource"],
    ] as const) {
      server.setRequestHandler(schema, async (request) => {
        const located = this.locateUri(request.params.uri);
        if (located === null) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${request.params.uri}`);
        await this.upstreams.withClient(located.server, (client) => client[method]({ ...request.params, uri: located.original }));
        return {};
      });
    }

    server.setRequestHandler(CompleteRequestSchema, async (request) => {
      const ref = request.params.ref;
      const located = ref.type === "ref/prompt" ? this.locatePrompt(ref.name) : this.locateUri(ref.uri);
      if (located === null) throw new McpError(ErrorCode.InvalidParams, "Unknown completion reference");
      const upstreamRef = ref.type === "ref/prompt" ? { ...ref, name: located.original } : { ...ref, uri: located.original };
      return this.upstreams.withClient(located.server, (client) =>
        client.complete({ ...request.params, ref: upstreamRef } as never),
      );
    });

    server.setRequestHandler(SetLevelRequestSchema, async (request) => {
      await Promise.all(
        this.servers().map((upstream) =>
          this.upstreams
            .withClient(upstream, async (client) => {
              if (client.getServerCapabilities()?.logging !== undefined) await client.setLoggingLevel(request.params.level);
            })
            .catch(() => undefined),
        ),
      );
      return {};
    });
  }

  private exposeUri(server: UpstreamServer, uri: string): string {
    return this.record.serverId === null ? exposedUri(server.prefix, uri) : uri;
  }

  private async relayRequest(server: UpstreamServer, method: string, params: unknown): Promise<Record<string, unknown>> {
    const capabilities = this.server.getClientCapabilities() ?? {};
    const capability =
      method === "elicitation/create" ? "elicitation" : method === "sampling/createMessage" ? "sampling" : "roots";
    if (capabilities[capability] === undefined) {
      throw new McpError(ErrorCode.MethodNotFound, `the client did not declare the ${capability} capability`);
    }
    const related = this.transport.anyStreamingExchange();
    this.options.log.debug({ server: server.name, method }, "relaying an upstream request to the client");
    return this.server.request({ method, params: params as Record<string, unknown> }, ResultSchema, {
      ...(related === null ? {} : { relatedRequestId: related }),
      timeout: this.options.callTimeoutMs,
    });
  }

  private relayNotification(server: UpstreamServer, method: string, params: Record<string, unknown>): void {
    const relayed =
      method === "notifications/resources/updated" && typeof params.uri === "string"
        ? { ...params, uri: this.exposeUri(server, params.uri) }
        : method === "notifications/message"
          ? { ...params, logger: `${server.prefix}${typeof params.logger === "string" ? `/${params.logger}` : ""}` }
          : params;
    this.server.notification({ method, params: relayed } as never).catch(() => undefined);
  }
}

/** What one round of a stateless request ends with: its result, or a question for the client. */
export type DispatchOutcome =
  | { kind: "result"; result: Record<string, unknown> }
  | {
      kind: "input";
      method: string;
      params: Record<string, unknown>;
      /** Carry the client's reply to the question; resolves with the next round's outcome. */
      answer(
        reply: Record<string, unknown>,
        notify: (message: JSONRPCMessage) => void,
        signal: AbortSignal,
      ): Promise<DispatchOutcome>;
    };

interface Round {
  notify(message: JSONRPCMessage): void;
  settle(outcome: DispatchOutcome | Error): void;
}

/** A JSON-RPC error the session answered with, carried to a caller outside an exchange. */
export class RpcAnswerError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

function paginateOrThrow<T>(items: T[], cursor: string | undefined) {
  try {
    return paginate(items, cursor, PAGE_SIZE);
  } catch {
    throw new McpError(ErrorCode.InvalidParams, "Invalid cursor");
  }
}
