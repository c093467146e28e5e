/**
 * A durable pull consumer that hands events to a handler in batches (size or time bound) and acks each message
 * only after the handler stored every event it carries (a message may carry a batch of events, EVENT_BATCH_HEADER).
 * Messages wait for their batch as received; their events are decoded and checked when the batch is handed over.
 * Nothing is held back by one bad event:
 * - a message outside its contract is dead-lettered with the reason when its batch is unpacked (an event of a batch
 *   on its own, the others go on);
 * - the handler reports per-message failures: a permanent one is dead-lettered now, a transient one is nak'd with
 *   a growing delay and dead-lettered at its last allowed delivery (the consumer's max_deliver); a batch message
 *   comes back whole, and the handler skips its events already stored (idempotent by event id);
 * - a retryable error for the whole batch (the store is down) is retried in-process while the messages are kept
 *   alive with in-progress acks, so an outage never uses up their deliveries.
 */

import { setImmediate as nextTurn } from "node:timers/promises";
import { type JsMsg, jetstream } from "@nats-io/jetstream";
import { toAppError } from "@thinkwatch/errors";
import type { Logger } from "@thinkwatch/log";
import { type AnySchema, EVENT_BATCH_HEADER } from "@thinkwatch/proto";
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

/** Events decoded and checked per turn of the event loop when a batch is unpacked. */
const EVENTS_PER_SLICE = 64;

/**
 * How many events a message says it carries: its batch header's count, or one. Only decides when a batch is full;
 * the handler gets at most maxBatch events whatever a message claims.
 */
function announcedEvents(msg: JsMsg): number {
  const count = Number(msg.headers?.get(EVENT_BATCH_HEADER) ?? "");
  return Number.isSafeInteger(count) && count > 0 ? count : 1;
}

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
  interface Entry {
    tracker: Tracker;
    index: number;
    raw: () => string;
    item: BatchItem<v.InferOutput<S>>;
  }
  /**
   * Messages received and not yet unpacked. Their events are decoded and checked only when the batch is handed over:
   * while a batch waits for its time bound (up to a second for audit-ingest) it holds bytes, not thousands of decoded
   * objects that every young-generation collection would copy and then promote.
   */
  let received: Array<{ tracker: Tracker; subject: string }> = [];
  /** Events the received messages carry, as their batch headers say (only to decide when a batch is full). */
  let receivedEvents = 0;
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

  const process = async (batch: Entry[]) => {
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

  /**
   * The received messages' events, checked against the contract (one outside it is resolved at once: dead-lettered),
   * handed to the handler in batches of at most maxBatch. Decoding yields to the event loop between slices, so that
   * requests served by the same process are not held up by a large batch.
   */
  const unpackAndProcess = async (messagesInHand: typeof received) => {
    let batch: Entry[] = [];
    let sinceYield = 0;
    for (const { tracker, subject } of messagesInHand) {
      if (sinceYield >= EVENTS_PER_SLICE) {
        await nextTurn();
        sinceYield = 0;
      }
      const { msg } = tracker;
      const unpacked = checkedPayloads(msg, options.schema);
      sinceYield += unpacked.length;
      tracker.outstanding = unpacked.length;
      tracker.events = unpacked.length;
      if (unpacked.length === 0) {
        endMessageSpan(tracker);
        msg.ack();
      }
      for (const [index, { checked, raw }] of unpacked.entries()) {
        if (!checked.ok) {
          await resolveItem(tracker, index, raw, { index, reason: checked.reason, permanent: true });
          continue;
        }
        batch.push({
          tracker,
          index,
          raw,
          item: { payload: checked.payload, subject, redeliveries: msg.info.deliveryCount - 1 },
        });
        if (batch.length >= options.maxBatch) {
          await process(batch);
          batch = [];
        }
      }
    }
    if (batch.length > 0) await process(batch);
  };

  const flush = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    const messagesInHand = received;
    received = [];
    receivedEvents = 0;
    if (messagesInHand.length === 0) return chain;
    chain = chain
      .then(() => unpackAndProcess(messagesInHand))
      .catch((caught) => log.error({ err: caught }, "batch handling failed"));
    return chain;
  };

  const loop = (async () => {
    for await (const msg of messages) {
      const subject = msg.subject.startsWith(prefix) ? msg.subject.slice(prefix.length) : msg.subject;
      // Counted once unpacked; the span starts now, so it covers the wait for the batch as before.
      const tracker: Tracker = {
        msg,
        batch: isBatch(msg),
        outstanding: 0,
        retry: null,
        span: startConsumeSpan(subject, options.durable, msg.headers),
        events: 0,
        failure: null,
      };
      received.push({ tracker, subject });
      receivedEvents += announcedEvents(msg);
      if (receivedEvents >= options.maxBatch) await flush();
      else timer ??= setTimeout(() => void flush(), options.maxWaitMs);
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
