/** A destination for audit events. Each channel kind (webhook now; syslog and Kafka next) implements it. */
import type { LogChannel } from "@thinkwatch/proto";

export interface ForwardedEvent {
  /** e.g. `gateway_request.completed` — the subject after `audit.v1.evt.`. */
  type: string;
  eventId: string;
  payload: Record<string, unknown>;
}

export interface ChannelSink {
  /** Resolve when the destination accepted the event; reject to have it redelivered later. */
  deliver(event: ForwardedEvent): Promise<void>;
  close(): Promise<void>;
}

export type SinkFactory = (channel: LogChannel) => ChannelSink;
