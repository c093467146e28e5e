/**
 * Kafka channel (node-rdkafka): one JSON message per event on the channel's topic, keyed by the event's subject
 * (the user or actor it is about, so one subject's events stay in order on one partition), acks=all. A delivery
 * resolves only when librdkafka's delivery report confirms every in-sync replica has the message — the report
 * drives the JetStream ack.
 */
import { AppError } from "@thinkwatch/errors";
import { KafkaChannelSettingsSchema, type LogChannel } from "@thinkwatch/proto";
import Kafka from "node-rdkafka";
import * as v from "valibot";
import type { ChannelSink, ForwardedEvent } from "../channels/channel-sink.js";

/** The key: who the event is about (gateway/MCP: the user; audit records: the actor), else its type. */
export function kafkaKeyOf(event: ForwardedEvent): string {
  const p = event.payload;
  if (typeof p.userId === "string" && p.userId !== "") return p.userId;
  const actor = p.actor as { id?: unknown } | null | undefined;
  if (actor !== null && typeof actor === "object" && typeof actor.id === "string" && actor.id !== "") return actor.id;
  return event.type;
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

export function createKafkaSink(channel: LogChannel, timeoutMs: number): ChannelSink {
  const settings = v.parse(KafkaChannelSettingsSchema, channel.settings);
  const producer = new Kafka.Producer(
    {
      "metadata.broker.list": settings.brokers,
      "client.id": `thinkwatch-forwarder-${channel.id}`,
      dr_cb: true,
      "linger.ms": 0,
      "socket.timeout.ms": timeoutMs,
    },
    { acks: -1, "message.timeout.ms": timeoutMs },
  );
  const pending = new Map<number, Pending>();
  let next = 0;
  producer.on("delivery-report", (error, report) => {
    const id = report.opaque as number;
    const waiter = pending.get(id);
    if (waiter === undefined) return;
    pending.delete(id);
    if (error) waiter.reject(new Error(`Kafka delivery failed: ${error.message}`));
    else waiter.resolve();
  });
  producer.on("event.error", () => undefined); // connection errors surface as failed delivery reports
  producer.setPollInterval(20);
  const connected = new Promise<void>((resolve, reject) => {
    producer.connect({ timeout: timeoutMs }, (error) =>
      error ? reject(new Error(`Kafka connect failed: ${error.message}`)) : resolve(),
    );
  });
  connected.catch(() => undefined);

  return {
    async deliver(event: ForwardedEvent) {
      await connected;
      const id = next++;
      const body = Buffer.from(
        JSON.stringify({ type: event.type, kind: event.kind, eventId: event.eventId, event: event.payload }),
      );
      await new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          producer.produce(settings.topic, null, body, kafkaKeyOf(event), Date.now(), id, [
            { "thinkwatch-event-id": Buffer.from(event.eventId) },
            { "thinkwatch-event-type": Buffer.from(event.type) },
          ]);
        } catch (caught) {
          pending.delete(id);
          const message = caught instanceof Error ? caught.message : String(caught);
          // A message the broker can never take (too large) must not be retried forever.
          if (/too large/i.test(message)) reject(new AppError("bad_request", `Kafka refused the event: ${message}`));
          else reject(new Error(`Kafka produce failed: ${message}`));
        }
      });
    },
    async close() {
      await new Promise<void>((resolve) => producer.flush(2000, () => resolve()));
      await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
    },
  };
}
