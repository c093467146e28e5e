/**
 * Fire-and-forget event publishing for hot paths: the request handler enqueues and returns; a small pump publishes
 * to JetStream with bounded concurrency, retries with backoff while NATS is unreachable (the message id makes a retry
 * idempotent), and flushes on shutdown. With `batch`, the events of one subject enqueued within `lingerMs` of the
 * first one (default 20 ms) travel as one JetStream message (up to `maxBatchEvents` / `maxBatchBytes`, and a full
 * batch leaves at once), which consumers unpack: under load that is one publish and one acknowledgement for many
 * requests instead of one each; a lone event still travels alone, at most `lingerMs` later. Values no consumer
 * could store (lone surrogates, control characters, megabyte strings) are made safe before publishing, so one
 * hostile request cannot produce an event that is retried forever. Only a full buffer or an event that cannot be
 * encoded drops events, and each drop is counted and logged; an event outside its contract is dead-lettered by its
 * consumer.
 */

import type { Logger } from "@thinkwatch/log";
import type { AnySchema, EventContract, PayloadOf } from "@thinkwatch/proto";
import { captureContext, type TraceContext, withContext } from "@thinkwatch/tracing";
import type { Bus } from "./bus.js";
import { publishEncodedEvent, publishEventBatch } from "./jetstream.js";
import { isSanitized, type SanitizeOptions, type SanitizeReport, sanitizeValue } from "./log-value.js";

export interface Outbox {
  /**
   * Queue one event; its publish joins `trace` (the request's context, passed explicitly from after an await) or
   * the context active when it is queued.
   */
  enqueue<C extends EventContract<AnySchema>>(
    contract: C,
    payload: PayloadOf<C>,
    eventId: string,
    trace?: TraceContext | undefined,
  ): void;
  /** Events waiting or being published. */
  pending(): number;
  dropped(): number;
  /** Publish everything still pending, up to the deadline. */
  flush(deadlineMs: number): Promise<void>;
}

export interface OutboxOptions {
  maxBuffered?: number;
  /** JetStream publishes in flight at once. */
  concurrency?: number;
  /** Several events of one subject per JetStream message (consumers must unpack EVENT_BATCH_HEADER messages). */
  batch?: boolean;
  maxBatchEvents?: number;
  maxBatchBytes?: number;
  /** Batching only: how long the first event of a batch waits for others (0: only those of the same event-loop turn). */
  lingerMs?: number;
}

/** Only cut what no message can carry (see encode). */
const CUT_ONLY: SanitizeOptions = { replace: false };

interface Entry {
  contract: EventContract<AnySchema>;
  payload: unknown;
  eventId: string;
  /** The enqueuing request's trace context, so the publish joins its trace (undefined when tracing is off). */
  trace: TraceContext | undefined;
}

/** What one JetStream message carries: one event, or several of one subject; retried as a whole. */
interface Unit {
  subject: string;
  entries: Entry[];
  encoded: string[];
  messageId: string;
  attempt: number;
}

export function createOutbox(bus: Bus, log: Logger, options: OutboxOptions = {}): Outbox {
  const maxBuffered = options.maxBuffered ?? 50_000;
  const concurrency = options.concurrency ?? 64;
  const maxBatchEvents = options.batch === true ? (options.maxBatchEvents ?? 256) : 1;
  const maxBatchBytes = options.maxBatchBytes ?? 512 * 1024;
  const lingerMs = options.batch === true ? (options.lingerMs ?? 20) : 0;
  let queue: Entry[] = [];
  const retries: Unit[] = [];
  let active = 0;
  let activeEvents = 0;
  let retryingEvents = 0;
  let dropped = 0;
  let idleWaiters: Array<() => void> = [];

  const pendingCount = () => queue.length + retryingEvents + activeEvents;
  const settleIfIdle = () => {
    if (pendingCount() === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  // Events enqueued in the same turn of the event loop (or, when batching, within the linger) are published
  // together: as one message per subject when batching, otherwise written to the socket in one go instead of one
  // syscall per event. A full batch does not wait for the linger.
  let immediate = false;
  let lingering: NodeJS.Timeout | undefined;
  const pumpNow = () => {
    immediate = false;
    if (lingering !== undefined) {
      clearTimeout(lingering);
      lingering = undefined;
    }
    pump();
  };
  const schedulePump = () => {
    if (immediate) return;
    if (lingerMs === 0 || queue.length >= maxBatchEvents) {
      immediate = true;
      setImmediate(pumpNow);
    } else {
      lingering ??= setTimeout(pumpNow, lingerMs);
    }
  };

  /**
   * Made safe, once: null when no retry could ever publish it. Not validated against its contract here: the payload
   * was built by this process under the contract's type, and its consumer validates each event (one outside its
   * contract is dead-lettered there alone), so checking it twice would only cost the request path.
   */
  const encode = (entry: Entry): string | null => {
    const report: SanitizeReport = { notes: [] };
    // Only cut what no message can carry; odd characters travel escaped in JSON, and the consumers that store or
    // forward the event replace them and flag the row, so the record shows it was tampered with. Almost every event
    // needs nothing cut and is encoded as it is, with no copy.
    const safe = isSanitized(entry.payload, CUT_ONLY) ? entry.payload : sanitizeValue(entry.payload, report, CUT_ONLY);
    if (report.notes.length > 0) log.warn({ eventId: entry.eventId, changed: report.notes.slice(0, 10) }, "event values cut");
    try {
      return JSON.stringify(safe);
    } catch (caught) {
      dropped += 1;
      log.error({ err: caught, eventId: entry.eventId, subject: entry.contract.subject }, "event cannot be encoded; dropped");
      return null;
    }
  };

  /** The next unit from fresh events: the first waiting event and others of its subject, within the bounds. */
  const nextUnit = (): Unit | null => {
    while (queue.length > 0) {
      const subject = (queue[0] as Entry).contract.subject;
      const entries: Entry[] = [];
      const encoded: string[] = [];
      const rest: Entry[] = [];
      let bytes = 0;
      for (const entry of queue) {
        if (entry.contract.subject !== subject || entries.length >= maxBatchEvents || bytes >= maxBatchBytes) {
          rest.push(entry);
          continue;
        }
        const json = encode(entry);
        if (json === null) continue;
        entries.push(entry);
        encoded.push(json);
        bytes += json.length;
      }
      queue = rest;
      if (entries.length === 0) continue;
      const first = entries[0] as Entry;
      // A lone event keeps its own id as the message id; a batch is named after its first event and its size, so a
      // retry of the same batch is stored once.
      const messageId = entries.length === 1 ? first.eventId : `batch:${first.eventId}:${entries.length}`;
      return { subject, entries, encoded, messageId, attempt: 0 };
    }
    return null;
  };

  const publish = (unit: Unit) => {
    active += 1;
    activeEvents += unit.entries.length;
    const done = () => {
      active -= 1;
      activeEvents -= unit.entries.length;
    };
    // A batch's publish joins the trace of its first event.
    const sent = withContext(unit.entries[0]?.trace, () =>
      unit.entries.length === 1
        ? publishEncodedEvent(bus, unit.subject, unit.encoded[0] as string, unit.messageId)
        : publishEventBatch(bus, unit.subject, unit.encoded, unit.messageId),
    );
    sent.then(
      () => {
        done();
        pump();
        settleIfIdle();
      },
      (caught: unknown) => {
        done();
        if (isTooLarge(caught)) {
          if (unit.entries.length > 1) {
            // Too big together: each event travels alone.
            for (const [index, entry] of unit.entries.entries()) {
              retries.push({ ...unit, entries: [entry], encoded: [unit.encoded[index] as string], messageId: entry.eventId });
              retryingEvents += 1;
            }
            pump();
            return;
          }
          // Retrying cannot help an event no message can carry: drop it loudly instead of blocking a slot forever.
          dropped += 1;
          log.error({ err: caught, eventId: unit.messageId, subject: unit.subject }, "event cannot be published; dropped");
          pump();
          settleIfIdle();
          return;
        }
        unit.attempt += 1;
        if (unit.attempt === 1 || unit.attempt % 20 === 0) {
          log.warn(
            { err: caught, messageId: unit.messageId, events: unit.entries.length, attempt: unit.attempt },
            "event publish failed; retrying",
          );
        }
        retryingEvents += unit.entries.length;
        const delay = Math.min(5_000, 100 * 2 ** Math.min(unit.attempt, 6));
        // Counted as retrying from now until pump takes it from the retry list again.
        setTimeout(() => {
          retries.unshift(unit);
          pump();
        }, delay).unref();
      },
    );
  };

  const pump = () => {
    while (active < concurrency) {
      const retry = retries.shift();
      if (retry !== undefined) {
        retryingEvents -= retry.entries.length;
        publish(retry);
        continue;
      }
      // Events inside their linger wait for its timer (a finished publish does not cut the batch short), unless a
      // full batch is ready.
      if (lingering !== undefined && queue.length < maxBatchEvents) break;
      const unit = nextUnit();
      if (unit === null) break;
      publish(unit);
    }
    settleIfIdle();
  };

  return {
    enqueue(contract, payload, eventId, trace) {
      if (pendingCount() >= maxBuffered) {
        dropped += 1;
        log.error({ eventId, subject: contract.subject }, "event buffer full; event dropped");
        return;
      }
      queue.push({ contract, payload, eventId, trace: trace ?? captureContext() });
      schedulePump();
    },
    pending: pendingCount,
    dropped: () => dropped,
    async flush(deadlineMs) {
      if (pendingCount() === 0) return;
      if (lingering !== undefined) pumpNow();
      await Promise.race([
        new Promise<void>((resolve) => idleWaiters.push(resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref()),
      ]);
      if (pendingCount() > 0) log.error({ pending: pendingCount() }, "shutdown with unpublished events");
    },
  };
}

function isTooLarge(caught: unknown): boolean {
  return /max.?payload/i.test(String((caught as Error)?.message ?? caught));
}
