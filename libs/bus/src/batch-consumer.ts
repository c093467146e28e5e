/**
 * A durable pull consumer that hands events to a handler in batches (size or time bound) and acks each message
 * only after the handler stored every event it carries (a message may carry a batch of events, EVENT_BATCH_HEADER).
 * Nothing is held back by one bad event:
 * - a message outside its contract is dead-lettered with the reason at once (an event of a batch on its own, the
 *   others go on);
 * - the handler reports per-message failures: a permanent one is dead-lettered now, a transient one is nak'd with
 *   a growing delay and dead-lettered at its last allowed delivery (the consumer's max_deliver); a batch message
 *   comes back whole, and the handler skips its events already stored (idempotent by event id);
 * - a retryable error for the whole batch (the store is down) is retried in-process while the messages are kept
 *   alive with in-progress acks, so an outage never uses up their deliveries.
 */

import { type JsMsg, jetstream } from "@nats-io/jetstream";
import { toAppError } from "@thinkwatch/errors";
import type { Logger } from "@thinkwatch/log";
import type { AnySchema } from "@thinkwatch/proto";
import { endSpan, type Span, withSpan } from "@thinkwatch/tracing";
import type * as v from "valibot";
import type { Bus } from "./bus.js";
import { startConsumeSpan } from "./bus-tracing.js";
import { checkedPayloads, isBatch } from "./checked-message.js";
import type { DeadLetters } from "./dead-letters.js";
import { DEFAULT_MAX_DELIVER } from "./jetstream.js";

export interface BatchItem<T> {
  payload: T;
  /** Subject without the deployment namespace. */
  subject: string;
  redeliveries: number;
}

export interface ItemFailure {
  /** Index into the batch handed to the handler. */
  index: number;
  reason: string;
  /** No retry can succeed (e.g. the store rejects this one row): dead-letter it now. */
  permanent: boolean;
}

export interface BatchContext {
  /** 1 on the first try of this batch, more when it is retried after a retryable error. */
  attempt: number;
}

export interface BatchConsumerOptions<S extends AnySchema> {
  stream: string;
  durable: string;
  schema: S;
  maxBatch: number;
  maxWaitMs: number;
  log: Logger;
  deadLetters: DeadLetters;
  /** Must match the consumer's max_deliver (ensureDurableConsumer). */
  maxDeliver?: number;
}

export interface BatchConsumer {
  /** Stop pulling, finish the batch in hand (insert + ack) within the deadline. */
  stop(deadlineMs: number): Promise<void>;
  /** Batches flushed so far (for readiness and tests). */
  flushedBatches(): number;
}

type Handler<T> = (items: BatchItem<T>[], context: BatchContext) => Promise<{ failed: ItemFailure[] } | undefined>;

/** Most bytes of messages the consumer holds before handing them over (unless one message is larger). */
const PULL_BYTES = 32 * 1024 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

export async function consumeBatches<S extends AnySchema>(
  bus: Bus,
  options: BatchConsumerOptions<S>,
  handler: Handler<v.InferOutput<S>>,
): Promise<BatchConsumer> {
  const js = jetstream(bus.nc);
  const consumer = await js.consumers.get(bus.streamName(options.stream), options.durable);
  // Bounded in bytes, not in messages: one message may carry a whole batch of events, so a count of messages would
  // let a backlog fill the process. A pull must fit any one message, hence at least twice the largest allowed.
  const messages = await consumer.consume({ max_bytes: Math.max(PULL_BYTES, 2 * (bus.nc.info?.max_payload ?? 0)) });
  const log = options.log.child({ consumer: options.durable });
  const maxDeliver = options.maxDeliver ?? DEFAULT_MAX_DELIVER;
  const prefix = bus.subject("");

  /** One JetStream message whose events (one, or a batch's) are in flight; acked once all of them are resolved. */
  interface Tracker {
    msg: JsMsg;
    batch: boolean;
    outstanding: number;
    /** An event of it failed transiently: the whole message comes back (stored events are skipped by id). */
    retry: string | null;
    /**
     * The consumer span of the message (one per message, not per event: a batch's events share its headers, so
     * they share a parent too), ended once the message is settled; undefined when tracing is off or once ended.
     */
    span: Span | undefined;
    events: number;
    /** The first reason an event of it failed, for the span's status. */
    failure: string | null;
  }
  let buffer: Array<{
    tracker: Tracker;
    index: number;
    raw: () => string;
    item: BatchItem<v.InferOutput<S>>;
  }> = [];
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let flushed = 0;
  let stopping = false;

  const giveUp = async (msg: JsMsg, reason: string, permanent: boolean) => {
    if (!permanent && msg.info.deliveryCount < maxDeliver) {
      msg.nak(Math.min(30_000, 500 * 2 ** Math.min(msg.info.deliveryCount, 6)));
      return;
    }
    try {
      await options.deadLetters.send(msg, reason);
    } catch (caught) {
      log.error({ err: caught, seq: msg.seq }, "cannot dead-letter a message; it will be redelivered");
      msg.nak(5_000);
    }
  };

  /** One event of a message is resolved: stored (reason null), failed for good, or failed for now. */
  const endMessageSpan = (tracker: Tracker, error?: unknown) => {
    endSpan(tracker.span, error ?? (tracker.failure === null ? undefined : new Error(tracker.failure)), {
      "messaging.batch.message_count": tracker.events,
    });
    tracker.span = undefined;
  };

  const resolveItem = async (tracker: Tracker, index: number, raw: () => string, failure: ItemFailure | null) => {
    if (failure !== null) tracker.failure ??= failure.reason;
    if (failure !== null) {
      if (!tracker.batch) {
        tracker.outstanding -= 1;
        endMessageSpan(tracker);
        await giveUp(tracker.msg, failure.reason, failure.permanent);
        return;
      }
      if (failure.permanent) {
        try {
          await options.deadLetters.sendItem(tracker.msg, { index, json: raw() }, failure.reason);
        } catch (caught) {
          log.error({ err: caught, seq: tracker.msg.seq }, "cannot dead-letter an event; its message will be redelivered");
          tracker.retry = failure.reason;
        }
      } else {
        tracker.retry = failure.reason;
      }
    }
    tracker.outstanding -= 1;
    if (tracker.outstanding > 0) return;
    endMessageSpan(tracker);
    if (tracker.retry === null) tracker.msg.ack();
    else await giveUp(tracker.msg, tracker.retry, false);
  };

  const process = async (batch: typeof buffer) => {
    const items = batch.map((entry) => entry.item);
    let failed: ItemFailure[] = [];
    for (let attempt = 1; ; attempt++) {
      try {
        // The handler's own spans (the store write) join the trace of the batch's first traced message.
        const traced = batch.find((entry) => entry.tracker.span !== undefined)?.tracker.span;
        failed = (await withSpan(traced, () => handler(items, { attempt })))?.failed ?? [];
        break;
      } catch (caught) {
        const error = toAppError(caught);
        if (error.retryable && !stopping) {
          if (attempt === 1 || attempt % 20 === 0) {
            log.warn({ err: caught, size: batch.length, attempt }, "batch write failed; retrying while the store is away");
          }
          for (const msg of new Set(batch.map((entry) => entry.tracker.msg))) msg.working();
          await sleep(Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)));
          continue;
        }
        if (error.retryable) {
          for (const tracker of new Set(batch.map((entry) => entry.tracker))) {
            tracker.msg.nak();
            endMessageSpan(tracker, caught);
          }
          return;
        }
        log.error({ err: caught, size: batch.length }, "batch failed");
        failed = items.map((_, index) => ({ index, reason: error.message, permanent: false }));
        break;
      }
    }
    const byIndex = new Map(failed.map((failure) => [failure.index, failure]));
    for (const [index, entry] of batch.entries()) {
      await resolveItem(entry.tracker, entry.index, entry.raw, byIndex.get(index) ?? null);
    }
    flushed += 1;
  };

  const flush = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return chain;
    chain = chain.then(() => process(batch)).catch((caught) => log.error({ err: caught }, "batch handling failed"));
    return chain;
  };

  const loop = (async () => {
    for await (const msg of messages) {
      const subject = msg.subject.startsWith(prefix) ? msg.subject.slice(prefix.length) : msg.subject;
      const unpacked = checkedPayloads(msg, options.schema);
      const tracker: Tracker = {
        msg,
        batch: isBatch(msg),
        outstanding: unpacked.length,
        retry: null,
        span: unpacked.length === 0 ? undefined : startConsumeSpan(subject, options.durable, msg.headers),
        events: unpacked.length,
        failure: null,
      };
      if (unpacked.length === 0) msg.ack();
      for (const [index, { checked, raw }] of unpacked.entries()) {
        if (!checked.ok) {
          await resolveItem(tracker, index, raw, { index, reason: checked.reason, permanent: true });
          continue;
        }
        buffer.push({
          tracker,
          index,
          raw,
          item: { payload: checked.payload, subject, redeliveries: msg.info.deliveryCount - 1 },
        });
        if (buffer.length >= options.maxBatch) await flush();
      }
      if (buffer.length > 0 && timer === undefined) timer = setTimeout(() => void flush(), options.maxWaitMs);
    }
  })().catch((caught) => log.error({ err: caught }, "consumer loop ended with an error"));

  return {
    flushedBatches: () => flushed,
    async stop(deadlineMs) {
      await messages.close().catch(() => undefined);
      await loop;
      const deadline = sleep(deadlineMs).then(() => {
        stopping = true;
      });
      await Promise.race([flush(), deadline]);
      stopping = true;
    },
  };
}
