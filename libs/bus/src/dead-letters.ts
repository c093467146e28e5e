/**
 * Where a consumer puts a message it gives up on: the DEADLETTER stream, with the reason, then the message is
 * terminated in its own stream so it stops blocking (and stops being redelivered). Counted per process as
 * `audit_dead_letter_total`; the stream's per-subject counts are the fleet-wide totals.
 */
import type { JsMsg } from "@nats-io/jetstream";
import type { Logger } from "@thinkwatch/log";
import { deadLetterContract } from "@thinkwatch/proto";
import type { Bus } from "./bus.js";
import { publishEvent } from "./jetstream.js";
import { sanitizeString } from "./log-value.js";

const MAX_PAYLOAD_BYTES = 64 * 1024;
const decoder = new TextDecoder();

export interface DeadLetters {
  /** Store the message with the reason and terminate it; throws (leaving the message alone) when NATS is away. */
  send(msg: JsMsg, reason: string, eventId?: string | null): Promise<void>;
  /**
   * Store one event of a batch message with the reason, leaving the message itself alone (its other events were
   * stored; the caller acks it). Throws when NATS is away.
   */
  sendItem(msg: JsMsg, item: { index: number; json: string; eventId?: string | null }, reason: string): Promise<void>;
  /** audit_dead_letter_total of this process. */
  total(): number;
}

export function createDeadLetters(bus: Bus, consumer: string, log: Logger): DeadLetters {
  const contract = deadLetterContract(consumer);
  let total = 0;
  const prefix = bus.subject("");
  const subjectOf = (msg: JsMsg) => (msg.subject.startsWith(prefix) ? msg.subject.slice(prefix.length) : msg.subject);
  return {
    async sendItem(msg, item, reason) {
      const eventId = item.eventId ?? null;
      await publishEvent(
        bus,
        contract,
        {
          consumer,
          subject: subjectOf(msg),
          streamSeq: msg.seq,
          eventId,
          deliveryCount: msg.info.deliveryCount,
          reason: sanitizeString(reason, 2000).value.slice(0, 2000),
          occurredAt: Date.now(),
          payload: sanitizeString(item.json, MAX_PAYLOAD_BYTES).value,
        },
        `${consumer}:${msg.seq}:${item.index}`,
      );
      total += 1;
      log.error({ consumer, subject: subjectOf(msg), seq: msg.seq, item: item.index, eventId, reason }, "event dead-lettered");
    },
    async send(msg, reason, eventId = null) {
      const payload = sanitizeString(decoder.decode(msg.data), MAX_PAYLOAD_BYTES).value;
      const subject = subjectOf(msg);
      await publishEvent(
        bus,
        contract,
        {
          consumer,
          subject,
          streamSeq: msg.seq,
          eventId,
          deliveryCount: msg.info.deliveryCount,
          reason: sanitizeString(reason, 2000).value.slice(0, 2000),
          occurredAt: Date.now(),
          payload,
        },
        `${consumer}:${msg.seq}`,
      );
      msg.term(reason.slice(0, 200));
      total += 1;
      log.error({ consumer, subject, seq: msg.seq, eventId, reason }, "message dead-lettered");
    },
    total: () => total,
  };
}
