/**
 * The upstream MCP sessions of one gateway session: one client per upstream server, opened on first use and never
 * shared with another gateway session (so never with another user), closed with the session. An upstream that
 * restarted or forgot its session is re-initialised transparently once. Requests the upstream makes of the client
 * (elicitation, sampling, roots) and its notifications are relayed to the downstream client by the session.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  type ClientCapabilities,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "@thinkwatch/log";
import type { TraceContext } from "@thinkwatch/tracing";
import type { UpstreamServer } from "../registry/registry-watch.js";
import { type AuthHeaders, connectUpstream } from "./connect-upstream.js";
import type { UpstreamFetch } from "./upstream-fetch.js";

export type ListKind = "tools" | "prompts" | "resources";

/** What the upstream side needs from the downstream session. */
export interface DownstreamRelay {
  /** The client's declared capabilities (only those are offered upstream). */
  capabilities(): ClientCapabilities;
  /** Forward an upstream request (elicitation/create, sampling/createMessage, roots/list) to the downstream client. */
  request(server: UpstreamServer, method: string, params: unknown): Promise<Record<string, unknown>>;
  notify(server: UpstreamServer, method: string, params: Record<string, unknown>): void;
  listChanged(server: UpstreamServer, kind: ListKind): void;
}

interface Entry {
  client: Promise<Client>;
  server: UpstreamServer;
}

/** Capabilities the gateway offers an upstream: the downstream client's, limited to what it can relay. */
function relayableCapabilities(downstream: ClientCapabilities): ClientCapabilities {
  const offered: ClientCapabilities = {};
  if (downstream.elicitation !== undefined) offered.elicitation = downstream.elicitation;
  if (downstream.sampling !== undefined) offered.sampling = downstream.sampling;
  if (downstream.roots !== undefined) offered.roots = { listChanged: false };
  return offered;
}

export class SessionUpstreams {
  private readonly entries = new Map<string, Entry>();
  private closed = false;
  /** Per server, the trace contexts of the traced calls in flight on it (see traceOf). */
  private readonly tracedCalls = new Map<string, Set<TraceContext>>();

  constructor(
    private readonly relay: DownstreamRelay,
    private readonly log: Logger,
    private readonly connectTimeoutMs: number,
    private readonly http: UpstreamFetch,
    /** The session user's credentials for a server (per-user OAuth, client credentials); none for static servers. */
    private readonly authFor: (server: UpstreamServer) => AuthHeaders = () => async () => ({}),
  ) {}

  /** The connected client for a server, opening it on first use. */
  client(server: UpstreamServer): Promise<Client> {
    if (this.closed) return Promise.reject(new Error("the session is closed"));
    const existing = this.entries.get(server.id);
    if (existing !== undefined && existing.server === server) return existing.client;
    if (existing !== undefined) void this.drop(server.id); // The server's settings changed: reconnect.
    const client = this.open(server);
    this.entries.set(server.id, { client, server });
    client.catch(() => this.entries.delete(server.id));
    return client;
  }

  /**
   * Run `call` on the server's client; if the upstream lost our session, reconnect once and run it again. `trace`:
   * the calling tool call's context, the parent of the upstream HTTP spans made meanwhile (connecting included).
   */
  async withClient<T>(server: UpstreamServer, call: (client: Client) => Promise<T>, trace?: TraceContext): Promise<T> {
    if (trace === undefined) return this.run(server, call);
    let inFlight = this.tracedCalls.get(server.id);
    if (inFlight === undefined) {
      inFlight = new Set();
      this.tracedCalls.set(server.id, inFlight);
    }
    inFlight.add(trace);
    try {
      return await this.run(server, call);
    } finally {
      inFlight.delete(trace);
      if (inFlight.size === 0 && this.tracedCalls.get(server.id) === inFlight) this.tracedCalls.delete(server.id);
    }
  }

  /**
   * The parent of an HTTP request the SDK's transport makes to the server now. The SDK calls our fetch from inside
   * its own promise chains, so the call that caused it is known only when it is the one traced call in flight on
   * that server; with several, the request gets no span rather than one in another call's (another trace's) tree.
   */
  private traceOf(serverId: string): TraceContext | undefined {
    const inFlight = this.tracedCalls.get(serverId);
    if (inFlight === undefined || inFlight.size !== 1) return undefined;
    for (const trace of inFlight) return trace;
    return undefined;
  }

  private async run<T>(server: UpstreamServer, call: (client: Client) => Promise<T>): Promise<T> {
    const first = await this.client(server);
    try {
      return await call(first);
    } catch (caught) {
      if (!isLostSession(caught)) throw caught;
      this.log.info({ server: server.name }, "upstream MCP session lost; re-initialising");
      await this.drop(server.id);
      return call(await this.client(server));
    }
  }

  async drop(serverId: string): Promise<void> {
    const entry = this.entries.get(serverId);
    if (entry === undefined) return;
    this.entries.delete(serverId);
    await entry.client.then((c) => c.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.entries.keys()].map((id) => this.drop(id)));
  }

  size(): number {
    return this.entries.size;
  }

  private async open(server: UpstreamServer): Promise<Client> {
    const offered = relayableCapabilities(this.relay.capabilities());
    const client = await connectUpstream(server, offered, this.connectTimeoutMs, this.http, this.authFor(server), () =>
      this.traceOf(server.id),
    );
    const relay = this.relay;
    const forward = (request: { method: string; params?: unknown }) =>
      relay.request(server, request.method, request.params) as never;
    // The SDK only lets a client answer requests of capabilities it declared: relay exactly those.
    if (offered.elicitation !== undefined) client.setRequestHandler(ElicitRequestSchema, async (request) => forward(request));
    if (offered.sampling !== undefined) client.setRequestHandler(CreateMessageRequestSchema, async (request) => forward(request));
    if (offered.roots !== undefined) client.setRequestHandler(ListRootsRequestSchema, async (request) => forward(request));
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => relay.listChanged(server, "tools"));
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => relay.listChanged(server, "prompts"));
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => relay.listChanged(server, "resources"));
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => relay.notify(server, n.method, n.params));
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => relay.notify(server, n.method, n.params));
    client.onclose = () => {
      const entry = this.entries.get(server.id);
      if (entry !== undefined) void entry.client.then((c) => c === client && this.entries.delete(server.id));
    };
    return client;
  }
}

/**
 * The upstream does not know our session (404, or the 400 "no valid session" some servers answer instead), refused
 * the connection (restarting), or its process is gone: the call never ran, so reconnecting and retrying is safe.
 */
function isLostSession(caught: unknown): boolean {
  const error = caught as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const message = typeof error.message === "string" ? error.message : "";
  if (error.code === 404) return true;
  if (error.code === 400 && /session/i.test(message)) return true;
  if (error.cause?.code === "ECONNREFUSED" || /ECONNREFUSED/.test(message)) return true;
  return /session not found|Not connected|Connection closed/i.test(message);
}
