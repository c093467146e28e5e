/**
 * Runs one durable consumer per enabled channel, following the `log_channels` read-model: a new channel receives
 * every event stored since the channel was created (however late this consumer starts), a disabled one stops (its consumer stays, so re-enabling resumes where it
 * stopped), a changed one restarts with its new settings.
 */
import { type Bus, consumeEach, createDeadLetters, type EachConsumer, ensureDurableConsumer } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { AUDIT_SUBJECT_ROOT, CONSUMERS, type LogChannel, STREAMS } from "@thinkwatch/proto";
import * as v from "valibot";
import type { ChannelSink, SinkFactory } from "./channel-sink.js";

const AnyEventSchema = v.looseObject({ eventId: v.string() });

interface Running {
  fingerprint: string;
  consumer: EachConsumer;
  sink: ChannelSink;
}

export interface ChannelSupervisor {
  apply(channels: LogChannel[]): Promise<void>;
  running(): string[];
  stop(deadlineMs: number): Promise<void>;
}

export function createChannelSupervisor(bus: Bus, sinkFor: SinkFactory, log: Logger): ChannelSupervisor {
  const running = new Map<string, Running>();
  let applying: Promise<void> = Promise.resolve();

  const stopOne = async (id: string, deadlineMs: number) => {
    const entry = running.get(id);
    if (entry === undefined) return;
    running.delete(id);
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
    const consumer = await consumeEach(
      bus,
      { stream: STREAMS.audit.name, durable, schema: AnyEventSchema, log, deadLetters: createDeadLetters(bus, durable, log) },
      async (message) =>
        sink.deliver({
          type: message.subject.slice(AUDIT_SUBJECT_ROOT.length + 1),
          eventId: message.payload.eventId,
          payload: message.payload,
        }),
    );
    running.set(channel.id, { fingerprint: JSON.stringify(channel), consumer, sink });
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
