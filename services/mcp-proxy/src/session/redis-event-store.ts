/**
 * SSE resumability for the session-based revisions: every event on a session's SSE streams (the standalone GET
 * stream and each POST's answer stream) is kept in Redis under an id, so a client that reconnects with
 * `Last-Event-ID` — on any replica — gets what it missed. The SDK's `EventStore` interface, over a Redis stream per
 * SSE stream, bounded by count (MAXLEN ~) and time (PEXPIRE, renewed on each event).
 *
 * Stream ids are `<session id>.<stream>` and event ids `<stream id>.<Redis entry id>`, so an event id names its
 * session: a Last-Event-ID of another session is refused.
 */
import type { EventId, EventStore, StreamId } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Redis } from "ioredis";

export interface EventLimits {
  /** Events kept per stream (approximately: Redis trims whole nodes). */
  maxEvents: number;
  /** How long a stream's events outlive its last event. */
  ttlMs: number;
}

const EVENT_ID = /^([A-Za-z0-9_-]{16,128})\.([a-z0-9]{1,32})\.(\d+-\d+)$/;

/** The session and stream an event id names; null when it is not one of ours. */
export function parseEventId(eventId: string): { sessionId: string; streamId: string; entry: string } | null {
  const match = EVENT_ID.exec(eventId);
  if (match === null) return null;
  return { sessionId: match[1] as string, streamId: `${match[1]}.${match[2]}`, entry: match[3] as string };
}

/** The SDK's EventStore, and a cheaper way for streams only one replica writes. */
export interface GatewayEventStore extends EventStore {
  /**
   * Keep event number `seq` (1, 2, …) of a stream only this replica writes (a POST's answer stream): its id is known
   * at once and the write goes on in the background, so the stream never waits for Redis. One connection keeps the
   * writes in order, ahead of any replay this replica runs.
   */
  keep(streamId: StreamId, seq: number, message: JSONRPCMessage): EventId;
}

export function createRedisEventStore(redis: Redis, limits: EventLimits): GatewayEventStore {
  const key = (streamId: string) => `mcp:events:${streamId}`;
  return {
    keep(streamId, seq, message) {
      const entry = `0-${seq}`;
      redis
        .pipeline()
        .xadd(key(streamId), "MAXLEN", "~", String(limits.maxEvents), entry, "m", JSON.stringify(message))
        .pexpire(key(streamId), limits.ttlMs)
        .exec()
        .catch(() => undefined);
      return `${streamId}.${entry}`;
    },

    async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
      const results = await redis
        .pipeline()
        .xadd(key(streamId), "MAXLEN", "~", String(limits.maxEvents), "*", "m", JSON.stringify(message))
        .pexpire(key(streamId), limits.ttlMs)
        .exec();
      const [error, entry] = results?.[0] ?? [new Error("no reply from redis"), null];
      if (error !== null) throw error;
      return `${streamId}.${String(entry)}`;
    },

    async replayEventsAfter(lastEventId, { send }): Promise<StreamId> {
      const parsed = parseEventId(lastEventId);
      if (parsed === null) throw new Error("not an event id of this gateway");
      let after = `(${parsed.entry}`;
      for (;;) {
        const page = await redis.xrange(key(parsed.streamId), after, "+", "COUNT", 200);
        for (const [entry, fields] of page) {
          const index = fields.indexOf("m");
          if (index < 0) continue;
          await send(`${parsed.streamId}.${entry}`, JSON.parse(fields[index + 1] as string) as JSONRPCMessage);
        }
        if (page.length < 200) break;
        after = `(${(page[page.length - 1] as [string, string[]])[0]}`;
      }
      return parsed.streamId;
    },
  };
}
