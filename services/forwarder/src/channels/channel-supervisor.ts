/**
 * Runs one durable consumer per enabled channel, following the `log_channels` read-model, so a dead channel never
 * delays the others: a new channel receives every event stored since the channel was created (however late this
 * consumer starts), a disabled one stops (its consumer stays, so re-enabling resumes where it stopped), a changed
 * one restarts with its new settings. Each event is filtered by the channel's event kinds and made safe before the
 * transport sees it.
 */
import {
  type Bus,
  consumeEach,
  createDeadLetters,
  type DeadLetters,
  type EachConsumer,
  ensureDurableConsumer,
  type SanitizeReport,
  sanitizeValue,
} from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { AUDIT_SUBJECT_ROOT, CONSUMERS, eventKindOf, type LogChannel, STREAMS } from "@thinkwatch/proto";
import * as v from "valibot";
import type { ChannelCounterSet } from "./channel-counters.js";
import type { ChannelSink, ForwardedEvent, SinkFactory } from "./channel-sink.js";

const AnyEventSchema = v.looseObject({ eventId: v.string() });

interface Running {
  fingerprint: string;
  consumer: EachConsumer;
  sink: ChannelSink;
  untrack: () => void;
}

/** Told about each channel consumer that starts (for its metrics); returns what to call when it stops. */
export type ConsumerTracker = (channel: LogChannel, durable: string, deadLetters: DeadLetters) => () => void;

export interface ChannelSupervisor {
  apply(channels: LogChannel[]): Promise<void>;
  running(): string[];
  stop(deadlineMs: number): Promise<void>;
}

/** The event as a channel receives it: typed, kind-tagged, values made safe. */
export function forwardedEvent(subject: string, payload: Record<string, unknown> & { eventId: string }): ForwardedEvent {
  const report: SanitizeReport = { notes: [] };
  const safe = sanitizeValue(payload, report) as Record<string, unknown>;
  if (report.notes.length > 0) safe.sanitized = report.notes.slice(0, 20);
  return {
    type: subject.slice(AUDIT_SUBJECT_ROOT.length + 1),
    kind: eventKindOf(subject, payload),
    eventId: String(safe.eventId),
    payload: safe,
  };
}

export function createChannelSupervisor(
  bus: Bus,
  sinkFor: SinkFactory,
  counters: ChannelCounterSet,
  log: Logger,
  track: ConsumerTracker = () => () => undefined,
): ChannelSupervisor {
  const running = new Map<string, Running>();
  let applying: Promise<void> = Promise.resolve();

  const stopOne = async (id: string, deadlineMs: number) => {
    const entry = running.get(id);
    if (entry === undefined) return;
    running.delete(id);
    entry.untrack();
    await entry.consumer.stop(deadlineMs);
    await entry.sink.close();
  };

  const startOne = async (channel: LogChannel) => {
    const durable = CONSUMERS.forwarderChannel(channel.id);
    await ensureDurableConsumer(bus, {
      stream: STREAMS.audit.name,
      durable,
      filterSubject: `${AUDIT_SUBJECT_ROOT}.>`,
      deliverFrom: { startTimeMs: channel.createdAt },
    });
    const sink = sinkFor(channel);
    const kinds = new Set(channel.eventKinds);
    let lastError: string | undefined;
    const deadLetters = createDeadLetters(bus, durable, log);
    const consumer = await consumeEach(
      bus,
      {
        stream: STREAMS.audit.name,
        durable,
        schema: AnyEventSchema,
        log,
        deadLetters,
        // A receiver back from an outage is tried again within a minute.
        maxBackoffMs: 60_000,
        // Deliveries are counted by the handler (a filtered-out event is acked but not sent).
        onOutcome: (outcome) => {
          if (outcome !== "delivered") counters.record(channel.id, outcome, lastError);
        },
      },
      async (message) => {
        if (kinds.size > 0 && !kinds.has(eventKindOf(message.subject, message.payload))) return;
        try {
          await sink.deliver(forwardedEvent(message.subject, message.payload));
          counters.record(channel.id, "delivered");
        } catch (caught) {
          lastError = caught instanceof Error ? caught.message : String(caught);
          throw caught;
        }
      },
    );
    running.set(channel.id, {
      fingerprint: JSON.stringify(channel),
      consumer,
      sink,
      untrack: track(channel, durable, deadLetters),
    });
    log.info({ channel: channel.name, kind: channel.kind }, "log channel started");
  };

  return {
    apply(channels) {
      applying = applying.then(async () => {
        const wanted = new Map(channels.filter((c) => c.enabled).map((c) => [c.id, c]));
        for (const [id, entry] of running) {
          const next = wanted.get(id);
          if (next === undefined || JSON.stringify(next) !== entry.fingerprint) await stopOne(id, 5_000);
        }
        for (const channel of wanted.values()) {
          if (running.has(channel.id)) continue;
          try {
            await startOne(channel);
          } catch (caught) {
            log.error({ err: caught, channel: channel.name }, "cannot start log channel");
          }
        }
      });
      return applying;
    },
    running: () => [...running.keys()],
    async stop(deadlineMs) {
      await applying;
      await Promise.all([...running.keys()].map((id) => stopOne(id, deadlineMs)));
    },
  };
}
