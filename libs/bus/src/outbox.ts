/**
 * Fire-and-forget event publishing for hot paths: the request handler enqueues and returns; a small pump publishes
 * to JetStream with bounded concurrency, retries with backoff while NATS is unreachable (the event id makes a retry
 * idempotent), and flushes on shutdown. Values no consumer could store (lone surrogates, control characters,
 * megabyte strings) are made safe before publishing, so one hostile request cannot produce an event that is retried
 * forever. Only a full buffer or an event outside its contract drops events, and each drop is counted and logged.
 */

import type { Logger } from "@thinkwatch/log";
import type { AnySchema, EventContract, PayloadOf } from "@thinkwatch/proto";
import { captureContext, type TraceContext, withContext } from "@thinkwatch/tracing";
import * as v from "valibot";
import type { Bus } from "./bus.js";
import { publishEvent } from "./jetstream.js";
import { type SanitizeReport, sanitizeValue } from "./log-value.js";

export interface Outbox {
  enqueue<C extends EventContract<AnySchema>>(contract: C, payload: PayloadOf<C>, eventId: string): void;
  /** Events waiting or being published. */
  pending(): number;
  dropped(): number;
  /** Publish everything still pending, up to the deadline. */
  flush(deadlineMs: number): Promise<void>;
}

export interface OutboxOptions {
  maxBuffered?: number;
  concurrency?: number;
}

interface Entry {
  contract: EventContract<AnySchema>;
  payload: unknown;
  eventId: string;
  attempt: number;
  /** The enqueuing request's trace context, so the publish joins its trace (undefined when tracing is off). */
  trace: TraceContext | undefined;
}

export function createOutbox(bus: Bus, log: Logger, options: OutboxOptions = {}): Outbox {
  const maxBuffered = options.maxBuffered ?? 50_000;
  const concurrency = options.concurrency ?? 64;
  const queue: Entry[] = [];
  let active = 0;
  let dropped = 0;
  let idleWaiters: Array<() => void> = [];

  const settleIfIdle = () => {
    if (queue.length === 0 && active === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  // Events enqueued in the same turn of the event loop are published together, so the client writes them to the
  // socket in one go instead of one syscall per event.
  let scheduled = false;
  const schedulePump = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      pump();
    });
  };

  const pump = () => {
    while (active < concurrency && queue.length > 0) {
      const entry = queue.shift() as Entry;
      active += 1;
      if (entry.attempt === 0) {
        const report: SanitizeReport = { notes: [] };
        // Only cut what no message can carry; odd characters travel escaped in JSON, and the consumers that store
        // or forward the event replace them and flag the row, so the record shows it was tampered with.
        entry.payload = sanitizeValue(entry.payload, report, { replace: false });
        if (report.notes.length > 0) log.warn({ eventId: entry.eventId, changed: report.notes.slice(0, 10) }, "event values cut");
      }
      withContext(entry.trace, () => publishEvent(bus, entry.contract, entry.payload as never, entry.eventId)).then(
        () => {
          active -= 1;
          pump();
          settleIfIdle();
        },
        (caught: unknown) => {
          active -= 1;
          if (caught instanceof v.ValiError || isTooLarge(caught)) {
            // Retrying cannot help an event outside its contract: drop it loudly instead of blocking a slot forever.
            dropped += 1;
            log.error(
              { err: caught, eventId: entry.eventId, subject: entry.contract.subject },
              "event cannot be published; dropped",
            );
            pump();
            settleIfIdle();
            return;
          }
          entry.attempt += 1;
          if (entry.attempt === 1 || entry.attempt % 20 === 0) {
            log.warn({ err: caught, eventId: entry.eventId, attempt: entry.attempt }, "event publish failed; retrying");
          }
          const delay = Math.min(5_000, 100 * 2 ** Math.min(entry.attempt, 6));
          setTimeout(() => {
            queue.unshift(entry);
            pump();
          }, delay).unref();
        },
      );
    }
  };

  return {
    enqueue(contract, payload, eventId) {
      if (queue.length + active >= maxBuffered) {
        dropped += 1;
        log.error({ eventId, subject: contract.subject }, "event buffer full; event dropped");
        return;
      }
      queue.push({ contract, payload, eventId, attempt: 0, trace: captureContext() });
      schedulePump();
    },
    pending: () => queue.length + active,
    dropped: () => dropped,
    async flush(deadlineMs) {
      if (queue.length === 0 && active === 0) return;
      await Promise.race([
        new Promise<void>((resolve) => idleWaiters.push(resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref()),
      ]);
      if (queue.length + active > 0) log.error({ pending: queue.length + active }, "shutdown with unpublished events");
    },
  };
}

function isTooLarge(caught: unknown): boolean {
  return /max.?payload/i.test(String((caught as Error)?.message ?? caught));
}
