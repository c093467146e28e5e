/**
 * The sessions live on this replica: created at initialize, rebuilt from shared storage when a request for a session
 * this replica has not seen arrives (the client's initialize is replayed into a fresh Server, its answer dropped),
 * closed after an idle period (their upstream connections and child processes with them) or on DELETE.
 */
import { createHash, randomBytes } from "node:crypto";
import { type JSONRPCMessage, LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "@thinkwatch/log";
import type { ApiKeyInfo } from "@thinkwatch/proto";
import type { ToolGrants } from "../policy/tool-grants-watch.js";
import { toolPolicyOf } from "../policy/tool-policy.js";
import type { ServerRegistry } from "../registry/registry-watch.js";
import type { UpstreamFetch } from "../upstream/upstream-fetch.js";
import type { UpstreamAuth } from "../upstream/user-oauth.js";
import { GatewaySession, type ToolCallOutcome } from "./gateway-session.js";
import { type GatewayEventStore, parseEventId } from "./redis-event-store.js";
import type { SessionRelay } from "./session-relay.js";
import type { SessionStore } from "./session-store.js";
import type { StreamSink } from "./session-transport.js";
import type { SessionRecord } from "./session-types.js";

export interface SessionManagerOptions {
  store: SessionStore;
  registry: ServerRegistry;
  log: Logger;
  idleMs: number;
  connectTimeoutMs: number;
  callTimeoutMs: number;
  http: UpstreamFetch;
  upstreamAuth?: UpstreamAuth;
  /** Tool RBAC grants; none: keys alone decide. */
  grants?: ToolGrants;
  onToolCall(outcome: ToolCallOutcome): void;
  /** Messages between replicas (any replica serves any session); none: this replica alone. */
  relay?: SessionRelay;
  /** Keeps SSE events for clients that resume with Last-Event-ID (session-based revisions); none: no event ids. */
  events?: GatewayEventStore;
}

/** A Last-Event-ID that is not an event of this session's streams. */
export class UnknownEventIdError extends Error {}

const REPLAY_ID = "thinkwatch-replayed-initialize";
/** Ids of the stateless revision's backing sessions; never accepted as an `Mcp-Session-Id`. */
const STATELESS_PREFIX = "stateless.";
/** The stream id (after the session id) of a session's standalone GET stream; POST streams get random ones. */
const GET_STREAM = "get";

export class SessionManager {
  private readonly live = new Map<string, GatewaySession>();
  private readonly rebuilding = new Map<string, Promise<GatewaySession | null>>();
  private readonly opening = new Map<string, Promise<GatewaySession>>();
  private readonly reaper: NodeJS.Timeout;

  constructor(private readonly options: SessionManagerOptions) {
    this.reaper = setInterval(() => void this.reapIdle(), Math.min(60_000, Math.max(1000, options.idleMs / 2)));
    this.reaper.unref();
    options.registry.onChange(() => {
      for (const session of this.live.values()) session.listChanged("tools", true);
    });
    options.grants?.onChange(() => {
      for (const session of this.live.values()) session.listChanged("tools", true);
    });
    options.relay?.listen({
      inbox: (id, message) => this.live.get(id)?.transport.receiveRelayed(message),
      cancel: (id, message) => this.live.get(id)?.transport.receiveRelayed(message),
    });
  }

  size(): number {
    return this.live.size;
  }

  /** Open sessions by kind (metrics). */
  counts(): { session: number; stateless: number } {
    let stateless = 0;
    for (const id of this.live.keys()) if (id.startsWith(STATELESS_PREFIX)) stateless += 1;
    return { session: this.live.size - stateless, stateless };
  }

  private build(record: SessionRecord, key: ApiKeyInfo): GatewaySession {
    const stateless = record.id.startsWith(STATELESS_PREFIX);
    const events = stateless ? undefined : this.options.events;
    return new GatewaySession({
      ...(stateless || this.options.relay === undefined ? {} : { relay: this.options.relay }),
      ...(events === undefined
        ? {}
        : { standaloneEvents: (message) => events.storeEvent(`${record.id}.${GET_STREAM}`, message) }),
      record,
      key,
      registry: this.options.registry,
      policy: toolPolicyOf(key, this.options.grants),
      log: this.options.log,
      connectTimeoutMs: this.options.connectTimeoutMs,
      callTimeoutMs: this.options.callTimeoutMs,
      http: this.options.http,
      ...(this.options.upstreamAuth === undefined ? {} : { upstreamAuth: this.options.upstreamAuth }),
      onToolCall: this.options.onToolCall,
    });
  }

  /** A new session for an initialize request; the caller delivers the request to it. */
  async create(
    key: ApiKeyInfo,
    serverId: string | null,
    initialize: JSONRPCMessage & { params?: unknown },
  ): Promise<GatewaySession> {
    const params = (initialize.params ?? {}) as Record<string, unknown>;
    const record: SessionRecord = {
      id: randomBytes(24).toString("base64url"),
      apiKeyId: key.id,
      userId: key.userId,
      serverId,
      protocolVersion: typeof params.protocolVersion === "string" ? params.protocolVersion : "",
      initialize: params,
      createdAt: Date.now(),
    };
    const session = this.build(record, key);
    await session.connect();
    await this.options.store.put(record);
    this.live.set(record.id, session);
    return session;
  }

  /**
   * The stateless revision's backing session for a caller: one per key, endpoint and declared capabilities, kept on
   * this replica only (nothing to share: every request carries what the session needs) so the upstream connections
   * of consecutive requests are reused; closed when idle like any other.
   */
  async stateless(
    key: ApiKeyInfo,
    serverId: string | null,
    capabilities: Record<string, unknown>,
    clientInfo: Record<string, unknown>,
  ): Promise<GatewaySession> {
    const id = `${STATELESS_PREFIX}${createHash("sha256")
      .update(JSON.stringify([key.id, serverId, capabilities]))
      .digest("base64url")}`;
    let pending = this.opening.get(id);
    if (pending === undefined) {
      const live = this.live.get(id);
      if (live !== undefined) pending = Promise.resolve(live);
      else {
        pending = (async () => {
          const initialize = { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities, clientInfo };
          const record: SessionRecord = {
            id,
            apiKeyId: key.id,
            userId: key.userId,
            serverId,
            protocolVersion: LATEST_PROTOCOL_VERSION,
            initialize,
            createdAt: Date.now(),
          };
          const session = this.build(record, key);
          await session.connect();
          session.transport.deliver(
            [
              { jsonrpc: "2.0", id: REPLAY_ID, method: "initialize", params: initialize } as JSONRPCMessage,
              { jsonrpc: "2.0", method: "notifications/initialized" } as JSONRPCMessage,
            ],
            null,
          );
          this.live.set(id, session);
          return session;
        })().finally(() => this.opening.delete(id));
        this.opening.set(id, pending);
      }
    }
    const session = await pending;
    session.key = key;
    session.lastActive = Date.now();
    return session;
  }

  /** The session with this id for this key, rebuilt here if another replica opened it; null if unknown or not theirs. */
  async find(id: string, key: ApiKeyInfo): Promise<GatewaySession | null> {
    if (id.startsWith(STATELESS_PREFIX)) return null;
    const session = this.live.get(id) ?? (await this.rebuild(id, key));
    if (session === null || session.record.apiKeyId !== key.id) return null;
    session.key = key;
    session.lastActive = Date.now();
    return session;
  }

  private rebuild(id: string, key: ApiKeyInfo): Promise<GatewaySession | null> {
    let pending = this.rebuilding.get(id);
    if (pending === undefined) {
      pending = (async () => {
        const record = await this.options.store.get(id);
        if (record === null || record.apiKeyId !== key.id) return null;
        const session = this.build(record, key);
        await session.connect();
        // Replay the client's initialize so the Server knows its capabilities and version; the answer goes nowhere.
        session.transport.deliver(
          [
            { jsonrpc: "2.0", id: REPLAY_ID, method: "initialize", params: record.initialize } as JSONRPCMessage,
            { jsonrpc: "2.0", method: "notifications/initialized" } as JSONRPCMessage,
          ],
          null,
        );
        this.live.set(id, session);
        this.options.log.info({ mcpSession: id }, "MCP session rebuilt on this replica");
        return session;
      })().finally(() => this.rebuilding.delete(id));
      this.rebuilding.set(id, pending);
    }
    return pending;
  }

  /**
   * The session's standalone GET stream is open here: it takes the session's server→client messages, those of this
   * replica directly and those of other replicas through the relay. With `lastEventId` (a reconnecting client) the
   * kept events after it come first — from the GET stream or from a POST's stream the client lost — and live
   * messages that arrive meanwhile wait behind them. Returns what closes the stream.
   */
  async openStream(session: GatewaySession, sink: StreamSink, lastEventId?: string): Promise<() => void> {
    const events = this.options.events;
    let target: StreamSink = sink;
    let held: Array<[JSONRPCMessage, string | null]> | null = null;
    if (lastEventId !== undefined && events !== undefined) {
      if (parseEventId(lastEventId)?.sessionId !== session.record.id) throw new UnknownEventIdError(lastEventId);
      held = [];
      const holding = held;
      target = { write: (message, eventId) => holding.push([message, eventId ?? null]) };
    }
    const live: StreamSink = { write: (message, eventId) => target.write(message, eventId) };
    session.transport.openStandalone(live);
    const unrelay =
      (await this.options.relay?.openStream(session.record.id, (message, eventId) => live.write(message, eventId))) ?? (() => {});
    const close = () => {
      session.transport.closeStandalone(live);
      unrelay();
    };
    if (held !== null && lastEventId !== undefined && events !== undefined) {
      const replayed = new Set<string>();
      try {
        await events.replayEventsAfter(lastEventId, {
          send: async (eventId, message) => {
            replayed.add(eventId);
            sink.write(message, eventId);
          },
        });
      } catch (caught) {
        this.options.log.warn({ err: caught, mcpSession: session.record.id }, "could not replay MCP stream events");
      }
      for (const [message, eventId] of held) if (eventId === null || !replayed.has(eventId)) sink.write(message, eventId);
      target = sink;
    }
    return close;
  }

  /** A recorder for one POST's SSE stream (its events get ids a client can resume from); null: events not kept. */
  postEvents(session: GatewaySession): ((message: JSONRPCMessage) => string) | null {
    const events = this.options.events;
    if (events === undefined || session.record.id.startsWith(STATELESS_PREFIX)) return null;
    const streamId = `${session.record.id}.${randomBytes(6).toString("hex")}`;
    let seq = 0;
    return (message) => {
      seq += 1;
      return events.keep(streamId, seq, message);
    };
  }

  /** DELETE: forget the session everywhere. */
  async end(session: GatewaySession): Promise<void> {
    this.live.delete(session.record.id);
    await this.options.store.delete(session.record.id);
    await session.close();
  }

  private async reapIdle(): Promise<void> {
    const cutoff = Date.now() - this.options.idleMs;
    let closed = 0;
    for (const [id, session] of this.live) {
      if (session.lastActive < cutoff && session.transport.inFlight().length === 0 && !session.transport.hasStandalone()) {
        this.live.delete(id);
        closed += 1;
        await session.close().catch(() => undefined);
      }
    }
    if (closed > 0) this.options.log.info({ closed, live: this.live.size }, "closed idle MCP sessions");
  }

  async closeAll(): Promise<void> {
    clearInterval(this.reaper);
    const sessions = [...this.live.values()];
    this.live.clear();
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
  }
}
