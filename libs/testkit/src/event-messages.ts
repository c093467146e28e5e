/**
 * The events one bus message carries, for tests that listen on an event subject: a batching outbox sends several
 * events of one subject as one message, a JSON array marked with EVENT_BATCH_HEADER; any other message is one event.
 */
import type { Msg } from "@nats-io/transport-node";
import { EVENT_BATCH_HEADER } from "@thinkwatch/proto";

export function eventsOf<T = Record<string, unknown>>(msg: Msg): T[] {
  const body = msg.json<unknown>();
  return msg.headers?.get(EVENT_BATCH_HEADER) ? (body as T[]) : [body as T];
}
