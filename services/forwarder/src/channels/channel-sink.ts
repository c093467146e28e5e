/** A destination for audit events; each channel kind (webhook, syslog, Kafka) implements it. */
import type { LogChannel } from "@thinkwatch/proto";

export interface ForwardedEvent {
  /** e.g. `gateway_request.completed` — the subject after `audit.v1.evt.`. */
  type: string;
  /** gateway, mcp or the audit record's category (EVENT_KINDS). */
  kind: string;
  eventId: string;
  /** The event, values already made safe (no lone surrogates or control characters, bounded strings). */
  payload: Record<string, unknown>;
}

export interface ChannelSink {
  /**
   * Resolve when the destination accepted the event; reject to have it redelivered later, or reject with a
   * non-retryable AppError when no retry can succeed (it goes to the dead letters).
   */
  deliver(event: ForwardedEvent): Promise<void>;
  close(): Promise<void>;
}

export type SinkFactory = (channel: LogChannel) => ChannelSink;
