/**
 * A durable consumer processed one event at a time, in order (a message carrying a batch of events, EVENT_BATCH_HEADER,
 * is handled event by event): ack after the handler succeeded, nak with a
 * growing delay when it failed (the message comes back, nothing is lost). A message outside its contract, one the
 * handler rejects as never deliverable (an AppError with `retryable: false`), and one failing at its last allowed
 * delivery go to the dead letters with the reason, so nothing is retried forever.
 */

import { type JsMsg, jetstream } from "@nats-io/jetstream";
import { AppError } from "@thinkwatch/errors";
import type { Logger } from "@thinkwatch/log";
import type { AnySchema } from "@thinkwatch/proto";
import { endSpan, withSpan } from "@thinkwatch/tracing";
import type * as v from "valibot";
import type { Bus } from "./bus.js";
import { startConsumeSpan } from "./bus-tracing.js";
import { checkedPayloads, isBatch } from "./checked-message.js";
import type { DeadLetters } from "./dead-letters.js";
import { DEFAULT_MAX_DELIVER } from "./jetstream.js";

export interface EachMessage<T> {
  payload: T;
  /** Subject without the deployment namespace. */
  subject: string;
  deliveryCount: number;
  /** Stream sequence: with the consumer name, the message's identity. */
  streamSeq: number;
  /** Messages stored after this one that the consumer has not delivered yet (its lag). */
  pending: number;
}

export interface EachConsumer {
  stop(deadlineMs: number): Promise<void>;
}

export interface EachConsumerOptions<S extends AnySchema> {
  stream: string;
  durable: string;
  schema: S;
  log: Logger;
  deadLetters: DeadLetters;
  /** Must match the consumer's max_deliver (ensureDurableConsumer). */
  maxDeliver?: number;
  /** Longest delay between two deliveries of a failing message. */
  maxBackoffMs?: number;
  /** Told about each outcome, for the channel's counters. */
  onOutcome?: (outcome: "delivered" | "failed" | "dead_lettered", message: { pending: number }) => void;
}

export async function consumeEach<S extends AnySchema>(
  bus: Bus,
  options: EachConsumerOptions<S>,
  handler: (message: EachMessage<v.InferOutput<S>>) => Promise<void>,
): Promise<EachConsumer> {
  const js = jetstream(bus.nc);
  const consumer = await js.consumers.get(bus.streamName(options.stream), options.durable);
  const messages = await consumer.consume({ max_messages: 64 });
  const log = options.log.child({ consumer: options.durable });
  const prefix = bus.subject("");
  const maxDeliver = options.maxDeliver ?? DEFAULT_MAX_DELIVER;
  const maxBackoffMs = options.maxBackoffMs ?? 300_000;
  const outcome = options.onOutcome ?? (() => undefined);
  let current: Promise<void> = Promise.resolve();

  const deadLetter = async (msg: Parameters<DeadLetters["send"]>[0], reason: string) => {
    try {
      await options.deadLetters.send(msg, reason);
      outcome("dead_lettered", { pending: msg.info.pending });
    } catch (caught) {
      log.error({ err: caught, seq: msg.seq }, "cannot dead-letter a message; it will be redelivered");
      msg.nak(5_000);
    }
  };

  /** The events of one message, in order; the first failure decides the message's fate (the rest wait for it). */
  const handleMessage = async (msg: JsMsg) => {
    const subject = msg.subject.startsWith(prefix) ? msg.subject.slice(prefix.length) : msg.subject;
    const batch = isBatch(msg);
    const message = { pending: msg.info.pending };
    for (const [index, { checked, raw }] of checkedPayloads(msg, options.schema).entries()) {
      if (!checked.ok) {
        if (!batch) return deadLetter(msg, checked.reason);
        try {
          await options.deadLetters.sendItem(msg, { index, json: raw() }, checked.reason);
          outcome("dead_lettered", message);
        } catch (caught) {
          log.error({ err: caught, seq: msg.seq }, "cannot dead-letter an event; its message will be redelivered");
          msg.nak(5_000);
          return;
        }
        continue;
      }
      const span = startConsumeSpan(subject, options.durable, msg.headers);
      try {
        await withSpan(span, () =>
          handler({
            payload: checked.payload,
            subject,
            deliveryCount: msg.info.deliveryCount,
            streamSeq: msg.seq,
            pending: msg.info.pending,
          }),
        );
        endSpan(span);
        outcome("delivered", message);
      } catch (caught) {
        endSpan(span, caught);
        const attempt = msg.info.deliveryCount;
        const reason = caught instanceof Error ? caught.message : String(caught);
        const never = caught instanceof AppError && !caught.retryable;
        if (batch && never) {
          // This event can never be delivered; the others of its batch still can.
          try {
            await options.deadLetters.sendItem(msg, { index, json: raw() }, reason);
            outcome("dead_lettered", message);
            continue;
          } catch (deadLetterFailure) {
            log.error({ err: deadLetterFailure, seq: msg.seq }, "cannot dead-letter an event; its message will be redelivered");
            msg.nak(5_000);
            return;
          }
        }
        if (never || attempt >= maxDeliver) {
          return deadLetter(msg, attempt >= maxDeliver ? `${reason} (after ${attempt} deliveries)` : reason);
        }
        outcome("failed", message);
        if (attempt === 1 || attempt % 10 === 0) log.warn({ err: caught, seq: msg.seq, attempt }, "delivery failed; will retry");
        // A batch comes back whole: its events before this one are delivered again (at least once, like any retry).
        msg.nak(Math.min(maxBackoffMs, 1000 * 2 ** Math.min(attempt - 1, 8)));
        return;
      }
    }
    msg.ack();
  };

  const loop = (async () => {
    for await (const msg of messages) {
      current = handleMessage(msg);
      await current;
    }
  })().catch((caught) => log.error({ err: caught }, "consumer loop ended with an error"));

  return {
    async stop(deadlineMs) {
      await messages.close().catch(() => undefined);
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, deadlineMs).unref())]);
      await current;
    },
  };
}
