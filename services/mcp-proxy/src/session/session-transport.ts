/**
 * The bridge between Streamable HTTP exchanges and one gateway session's MCP Server (the SDK's). A POST hands its
 * JSON-RPC messages to the Server through `onmessage`; what the Server sends comes back through `send()` and is
 * routed to the HTTP response that is waiting for it: a response to the exchange that carried its request,
 * progress notifications and server→client requests (elicitation, sampling) to the exchange of the request they
 * relate to, everything else to the session's standalone GET stream when one is open.
 */
import type { Transport, TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from "@modelcontextprotocol/sdk/types.js";

/** One open HTTP response that takes messages: an SSE stream, or a JSON body written once every answer is in. */
export interface Exchange {
  /** Deliver a message; for a JSON exchange only responses count, the rest is dropped. */
  write(message: JSONRPCMessage): void;
  /** Every expected response has been written. */
  finish(): void;
  readonly streaming: boolean;
}

export interface StreamSink {
  /** `eventId`: the id a resuming client names in Last-Event-ID (none when events are not kept). */
  write(message: JSONRPCMessage, eventId?: string | null): void;
}

/** Keeps a standalone-stream message for resumption and gives its event id (see redis-event-store.ts). */
export type StandaloneEvents = (message: JSONRPCMessage) => Promise<string | null>;

/** Where messages go that belong to another replica (see session-relay.ts); null for sessions of this replica only. */
export interface TransportRelay {
  readonly replica: string;
  toReplica(replica: string, sessionId: string, message: JSONRPCMessage): void;
  cancel(sessionId: string, message: JSONRPCMessage): void;
  toStream(sessionId: string, message: JSONRPCMessage, eventId: string | null): void;
}

const RELAYED_ID = /^tw\.([a-z0-9]+)\.(\d+)$/;

function isResponse(message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId } {
  return "id" in message && ("result" in message || "error" in message) && !("method" in message);
}

export class SessionTransport implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  sessionId?: string;

  /** Downstream request id → the exchange waiting for its response, and how many answers that exchange awaits. */
  private readonly pending = new Map<string, { exchange: Exchange; remaining: { count: number } }>();
  private standalone: StreamSink | null = null;
  private closed = false;
  /** Standalone messages in order: each is kept (its id known) before it is written. */
  private standaloneQueue: Promise<void> = Promise.resolve();

  constructor(
    sessionId: string,
    private readonly relay: TransportRelay | null = null,
    private readonly standaloneEvents: StandaloneEvents | null = null,
  ) {
    this.sessionId = sessionId;
  }

  async start(): Promise<void> {}

  /**
   * Hand the messages of one POST to the Server; `exchange` receives the answers to its requests. Requests in
   * `answered` (refused by the gateway itself, e.g. by quota) never reach the Server: their given answers go to the
   * exchange in their place.
   */
  deliver(
    messages: JSONRPCMessage[],
    exchange: Exchange | null,
    extra?: MessageExtraInfo,
    answered: ReadonlyMap<string, JSONRPCMessage> = new Map(),
  ): void {
    const requests = messages.filter((m) => "method" in m && "id" in m) as Array<JSONRPCMessage & { id: RequestId }>;
    if (exchange !== null && requests.length > 0) {
      const remaining = { count: requests.length };
      for (const request of requests) this.pending.set(String(request.id), { exchange, remaining });
    }
    for (const message of messages) {
      if ("id" in message && "method" in message && answered.has(String(message.id))) continue;
      const local = this.localOrRelay(message);
      if (local !== null) this.onmessage?.(local, extra);
    }
    for (const answer of answered.values()) void this.send(answer);
  }

  /**
   * The message as this replica's Server takes it, or null when it was relayed to the replica it belongs to: an
   * answer to another replica's request, or a cancellation of a request not running here.
   */
  private localOrRelay(message: JSONRPCMessage): JSONRPCMessage | null {
    if (this.relay === null || this.sessionId === undefined) return message;
    if (isResponse(message)) {
      const named = typeof message.id === "string" ? RELAYED_ID.exec(message.id) : null;
      if (named === null) return message;
      if (named[1] === this.relay.replica) return { ...message, id: Number(named[2]) } as JSONRPCMessage;
      this.relay.toReplica(named[1] as string, this.sessionId, message);
      return null;
    }
    if ("method" in message && message.method === "notifications/cancelled" && !("id" in message)) {
      const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
      if (requestId !== undefined && !this.pending.has(String(requestId))) {
        this.relay.cancel(this.sessionId, message);
        return null;
      }
    }
    return message;
  }

  /** A message relayed from another replica: an answer to a request of ours, or a cancellation of one we run. */
  receiveRelayed(message: JSONRPCMessage): void {
    if ("method" in message && message.method === "notifications/cancelled") {
      const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
      if (!this.pending.has(String(requestId))) return;
    }
    this.deliver([message], null);
  }

  /** The downstream requests still waiting for an answer (for relaying cancellations). */
  inFlight(): string[] {
    return [...this.pending.keys()];
  }

  /** Any in-flight exchange that can take server→client traffic, preferring one that streams. */
  anyStreamingExchange(): string | null {
    for (const [id, entry] of this.pending) if (entry.exchange.streaming) return id;
    return null;
  }

  openStandalone(sink: StreamSink): void {
    this.standalone = sink;
  }

  closeStandalone(sink: StreamSink): void {
    if (this.standalone === sink) this.standalone = null;
  }

  hasStandalone(): boolean {
    return this.standalone !== null;
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.closed) return;
    if (isResponse(message)) {
      const key = String(message.id);
      const entry = this.pending.get(key);
      if (entry === undefined) return; // An answer nobody waits for (a replayed initialize, a cancelled request).
      this.pending.delete(key);
      entry.exchange.write(message);
      entry.remaining.count -= 1;
      if (entry.remaining.count === 0) entry.exchange.finish();
      return;
    }
    const outgoing = this.nameOurs(message);
    const related = options?.relatedRequestId;
    const entry = related === undefined ? undefined : this.pending.get(String(related));
    if (entry?.exchange.streaming) {
      entry.exchange.write(outgoing);
      return;
    }
    const events = this.standaloneEvents;
    if (events === null) {
      this.toStandalone(outgoing, null);
      return;
    }
    // Kept even while no stream is open anywhere: the client gets it when it reconnects with Last-Event-ID.
    const queued = this.standaloneQueue.then(async () => this.toStandalone(outgoing, await events(outgoing).catch(() => null)));
    this.standaloneQueue = queued;
    return queued;
  }

  /** To the session's standalone stream, here or on the replica holding it (also a lost POST stream's rest). */
  toStandalone(message: JSONRPCMessage, eventId: string | null): void {
    if (this.standalone !== null) this.standalone.write(message, eventId);
    else if (this.relay !== null && this.sessionId !== undefined) this.relay.toStream(this.sessionId, message, eventId);
  }

  /** Server→client request ids (and the Server's cancellations of them) name this replica, for the answer's way back. */
  private nameOurs(message: JSONRPCMessage): JSONRPCMessage {
    if (this.relay === null || !("method" in message)) return message;
    const name = (id: unknown) => `tw.${this.relay?.replica}.${String(id)}`;
    if ("id" in message) return { ...message, id: name(message.id) } as JSONRPCMessage;
    if (message.method === "notifications/cancelled") {
      const params = (message.params ?? {}) as Record<string, unknown>;
      return { ...message, params: { ...params, requestId: name(params.requestId) } } as JSONRPCMessage;
    }
    return message;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const { exchange } of this.pending.values()) exchange.finish();
    this.pending.clear();
    this.standalone = null;
    this.onclose?.();
  }
}
