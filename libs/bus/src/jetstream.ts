/**
 * JetStream: stream and durable consumer setup (idempotent, NATS 2.9 feature set, bounded max-deliver) and the
 * event publish. Replicas of a service share one durable pull consumer (batch-consumer.ts, consume-each.ts).
 */

import { AckPolicy, DeliverPolicy, jetstreamManager, type StreamConfig } from "@nats-io/jetstream";
import { headers } from "@nats-io/transport-node";
import { type AnySchema, EVENT_BATCH_HEADER, type EventContract, type PayloadOf } from "@thinkwatch/proto";
import * as v from "valibot";
import type { Bus } from "./bus.js";
import { startPublishSpan } from "./bus-tracing.js";
import { decodeJson, encodeJson } from "./codec.js";

const DAY_NANOS = 24 * 60 * 60 * 1e9;

export interface StreamDefinition {
  name: string;
  subjects: readonly string[];
  /** How long messages are kept (default 7 days); every service that ensures the stream keeps the same. */
  maxAgeDays?: number;
}

/** Create the stream if missing, update subjects/limits if it drifted. */
export async function ensureStream(bus: Bus, stream: StreamDefinition, maxAgeDays = stream.maxAgeDays ?? 7): Promise<string> {
  const jsm = await jetstreamManager(bus.nc);
  const name = bus.streamName(stream.name);
  const config: Partial<StreamConfig> & { name: string } = {
    name,
    subjects: stream.subjects.map((s) => bus.subject(s)),
    max_age: maxAgeDays * DAY_NANOS,
    // Publishers set Nats-Msg-Id = event id; a retry within this window is stored once.
    duplicate_window: 2 * 60 * 1e9,
  };
  try {
    await jsm.streams.info(name);
    await jsm.streams.update(name, config);
  } catch (cause) {
    if (!isNotFound(cause)) throw cause;
    await jsm.streams.add(config);
  }
  return name;
}

export interface DurableConsumerDefinition {
  stream: string;
  durable: string;
  filterSubject: string;
  ackWaitMs?: number;
  /** Where a brand-new consumer starts: everything stored, only what arrives from now on, or from an instant (epoch ms). */
  deliverFrom?: "all" | "new" | { startTimeMs: number };
  /** Deliveries of one message before the server gives up on it (default DEFAULT_MAX_DELIVER); never unbounded. */
  maxDeliver?: number;
}

/** Every consumer is bounded: a message that keeps failing is dead-lettered by its consumer at the last delivery. */
export const DEFAULT_MAX_DELIVER = 20;

export async function ensureDurableConsumer(bus: Bus, def: DurableConsumerDefinition): Promise<void> {
  const jsm = await jetstreamManager(bus.nc);
  const stream = bus.streamName(def.stream);
  const config = {
    durable_name: def.durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: bus.subject(def.filterSubject),
    ack_wait: (def.ackWaitMs ?? 30_000) * 1e6,
    max_ack_pending: 10_000,
    max_deliver: def.maxDeliver ?? DEFAULT_MAX_DELIVER,
  };
  try {
    await jsm.consumers.info(stream, def.durable);
    await jsm.consumers.update(stream, def.durable, {
      ack_wait: config.ack_wait,
      max_ack_pending: config.max_ack_pending,
      max_deliver: config.max_deliver,
    });
  } catch (cause) {
    if (!isNotFound(cause)) throw cause;
    const from = def.deliverFrom ?? "all";
    await jsm.consumers.add(stream, {
      ...config,
      ...(from === "all"
        ? { deliver_policy: DeliverPolicy.All }
        : from === "new"
          ? { deliver_policy: DeliverPolicy.New }
          : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(from.startTimeMs).toISOString() }),
    });
  }
}

function isNotFound(cause: unknown): boolean {
  const text = String((cause as Error)?.message ?? cause);
  return /not found/i.test(text);
}

const PubAckSchema = v.object({
  stream: v.optional(v.string()),
  seq: v.optional(v.number()),
  duplicate: v.optional(v.boolean()),
  error: v.optional(v.object({ code: v.optional(v.number()), description: v.optional(v.string()) })),
});

/**
 * Publish an event to JetStream and wait for the stream's acknowledgement; the event id doubles as Nats-Msg-Id so a
 * retried publish is stored once. Speaks the publish/ack protocol over the bus's request mux, which costs far less
 * per event than the client library's publish (no Error object and timer per call).
 */
export async function publishEvent<C extends EventContract<AnySchema>>(
  bus: Bus,
  contract: C,
  payload: PayloadOf<C>,
  messageId: string,
): Promise<void> {
  const checked = v.parse(contract.payload, payload);
  await publishRaw(bus, contract.subject, encodeJson(checked), messageId);
}

/**
 * Publish several events of one subject as one JetStream message (a JSON array, EVENT_BATCH_HEADER = count), each
 * already checked against its contract and encoded by the caller. Consumers unpack it and stay idempotent by event
 * id, so a batch redelivered after a partial write stores nothing twice.
 */
export async function publishEventBatch(bus: Bus, subject: string, encoded: readonly string[], messageId: string): Promise<void> {
  await publishRaw(bus, subject, textEncoder.encode(`[${encoded.join(",")}]`), messageId, encoded.length);
}

/** One event, already checked against its contract and encoded by the caller. */
export async function publishEncodedEvent(bus: Bus, subject: string, encoded: string, messageId: string): Promise<void> {
  await publishRaw(bus, subject, textEncoder.encode(encoded), messageId);
}

const textEncoder = new TextEncoder();

async function publishRaw(bus: Bus, subject: string, data: Uint8Array, messageId: string, batchOf?: number): Promise<void> {
  const h = headers();
  h.set("Nats-Msg-Id", messageId);
  if (batchOf !== undefined) h.set(EVENT_BATCH_HEADER, String(batchOf));
  const traced = startPublishSpan(subject, h);
  try {
    const reply = await bus.requestRaw(bus.subject(subject), data, 5000, h);
    const ack = v.safeParse(PubAckSchema, decodeJson(reply.data));
    if (!ack.success) throw new Error(`unexpected JetStream acknowledgement for ${subject}`);
    if (ack.output.error !== undefined) {
      throw new Error(
        `JetStream refused ${subject}: ${ack.output.error.description ?? ack.output.error.code ?? "unknown error"}`,
      );
    }
    if (ack.output.stream === undefined) throw new Error(`no stream stores ${subject}`);
    traced?.end();
  } catch (caught) {
    traced?.end(caught);
    throw caught;
  }
}
