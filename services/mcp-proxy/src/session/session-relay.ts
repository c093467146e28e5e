/**
 * The relay between mcp-proxy replicas, over core NATS, that lets any replica serve any session without sticky
 * routing. Three paths, each taken only when the message's destination is not on the replica that has it:
 * - the client's answer to a server→client request (elicitation, sampling, roots) goes to the replica that sent the
 *   request, named in the request's id (see session-transport.ts), through that replica's inbox subject;
 * - the client's cancellation of a request this replica is not running is broadcast; the replica running it acts;
 * - a server→client message for the standalone GET stream goes to the session's stream subject, which the replica
 *   holding that stream open subscribes to while it is open.
 * One subscription per replica for the inbox and one for cancellations; one per open GET stream.
 */
import { randomBytes } from "node:crypto";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { type Bus, decodeJson } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { McpCancelRelay, McpSessionRelaySchema, mcpReplicaInbox, mcpSessionStream } from "@thinkwatch/proto";
import * as v from "valibot";

type Subscription = ReturnType<Bus["nc"]["subscribe"]>;

export interface RelayHandlers {
  /** A client's answer to a request this replica sent. */
  inbox(sessionId: string, message: JSONRPCMessage): void;
  /** A client's cancellation of a request some replica runs. */
  cancel(sessionId: string, message: JSONRPCMessage): void;
}

export interface SessionRelay {
  /** This replica's name in relayed request ids: `[a-z0-9]`, no separator of ids or subjects. */
  readonly replica: string;
  toReplica(replica: string, sessionId: string, message: JSONRPCMessage): void;
  cancel(sessionId: string, message: JSONRPCMessage): void;
  toStream(sessionId: string, message: JSONRPCMessage, eventId: string | null): void;
  /** Take the relayed stream messages of a session whose GET stream is open here; resolves once subscribed. */
  openStream(sessionId: string, write: (message: JSONRPCMessage, eventId: string | null) => void): Promise<() => void>;
  listen(handlers: RelayHandlers): void;
  close(): void;
}

export function createSessionRelay(bus: Bus, log: Logger): SessionRelay {
  const replica = randomBytes(6).toString("hex");
  const subscriptions = new Set<Subscription>();

  const subscribe = (
    subject: string,
    handle: (sessionId: string, message: JSONRPCMessage, eventId: string | null) => void,
  ): Subscription => {
    const sub = bus.nc.subscribe(bus.subject(subject), {
      callback: (err, msg) => {
        if (err !== null) return;
        const parsed = v.safeParse(McpSessionRelaySchema, safeDecode(msg.data));
        if (!parsed.success) {
          log.warn({ subject }, "dropping a relayed MCP message outside its contract");
          return;
        }
        try {
          handle(parsed.output.sessionId, parsed.output.message as JSONRPCMessage, parsed.output.eventId ?? null);
        } catch (caught) {
          log.error({ err: caught, subject }, "relayed MCP message handler failed");
        }
      },
    });
    subscriptions.add(sub);
    return sub;
  };

  const relayed = (sessionId: string, message: JSONRPCMessage, eventId: string | null = null) => ({
    sessionId,
    message: message as unknown as Record<string, unknown>,
    ...(eventId === null ? {} : { eventId }),
  });

  return {
    replica,
    toReplica(to, sessionId, message) {
      bus.broadcast(mcpReplicaInbox(to), relayed(sessionId, message));
    },
    cancel(sessionId, message) {
      bus.broadcast(McpCancelRelay, relayed(sessionId, message));
    },
    toStream(sessionId, message, eventId) {
      bus.broadcast(mcpSessionStream(sessionId), relayed(sessionId, message, eventId));
    },
    async openStream(sessionId, write) {
      const sub = subscribe(mcpSessionStream(sessionId).subject, (_id, message, eventId) => write(message, eventId));
      // The server has the subscription before the client learns the stream is open.
      await bus.nc.flush();
      return () => {
        subscriptions.delete(sub);
        sub.unsubscribe();
      };
    },
    listen(handlers) {
      subscribe(mcpReplicaInbox(replica).subject, handlers.inbox);
      subscribe(McpCancelRelay.subject, handlers.cancel);
    },
    close() {
      for (const sub of subscriptions) sub.unsubscribe();
      subscriptions.clear();
    },
  };
}

function safeDecode(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    return undefined;
  }
}
