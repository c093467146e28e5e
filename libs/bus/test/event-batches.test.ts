/**
 * Batched events on the real NATS JetStream: the outbox sends the events of one tick (or of its linger) as few
 * messages, and both consumer kinds unpack them — every event handled, a bad event dead-lettered alone, a transient
 * failure bringing the whole message back (handled idempotently by event id), acks only once every event of a message is resolved.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { headers } from "@nats-io/transport-node";
import { createLogger } from "@thinkwatch/log";
import { deadLetterContract, EVENT_BATCH_HEADER, eventContract, STREAMS } from "@thinkwatch/proto";
import { waitFor } from "@thinkwatch/testkit";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeBatches } from "../src/batch-consumer.js";
import { type Bus, connectBus } from "../src/bus.js";
import { consumeEach } from "../src/consume-each.js";
import { createDeadLetters } from "../src/dead-letters.js";
import { ensureDurableConsumer, ensureStream, publishEventBatch } from "../src/jetstream.js";
import { createOutbox } from "../src/outbox.js";

const Done = eventContract("test.v1.evt.job.done", v.object({ eventId: v.string(), n: v.number() }));
const STREAM = { name: "EVTBATCH", subjects: ["test.v1.evt.>"] };
const log = createLogger({ service: "test", level: "silent" });
let bus: Bus;

beforeAll(async () => {
  bus = await connectBus({
    url: process.env.NATS_URL ?? "nats://127.0.0.1:4222",
    namespace: `t${randomBytes(4).toString("hex")}`,
    name: "event-batches",
    log,
  });
  await ensureStream(bus, STREAM);
  await ensureStream(bus, STREAMS.deadLetter);
});

afterAll(async () => {
  const jsm = await jetstreamManager(bus.nc);
  for (const name of [STREAM.name, STREAMS.deadLetter.name]) await jsm.streams.delete(bus.streamName(name)).catch(() => false);
  await bus.close(500);
});

const durable = async () => {
  const name = `c-${randomUUID().slice(0, 8)}`;
  await ensureDurableConsumer(bus, {
    stream: STREAM.name,
    durable: name,
    filterSubject: Done.subject,
    deliverFrom: "new",
    ackWaitMs: 2000,
  });
  return name;
};
const event = (n: number) => ({ eventId: randomUUID(), n });
/** A batch consumer of the test's events on the durable `name`, dead-lettering to its own subject. */
const consumeDone = (
  name: string,
  bounds: { maxBatch: number; maxWaitMs: number },
  handler: Parameters<typeof consumeBatches<typeof Done.payload>>[2],
) =>
  consumeBatches(
    bus,
    { stream: STREAM.name, durable: name, schema: Done.payload, ...bounds, log, deadLetters: createDeadLetters(bus, name, log) },
    handler,
  );
const deadLettersOf = async (consumer: string) => {
  const jsm = await jetstreamManager(bus.nc);
  const info = await jsm.streams.info(bus.streamName(STREAMS.deadLetter.name), {
    subjects_filter: bus.subject(deadLetterContract(consumer).subject),
  });
  return info.state.subjects?.[bus.subject(deadLetterContract(consumer).subject)] ?? 0;
};

describe("the batching outbox", () => {
  it("sends the events of one tick as a few messages, every event once; one outside its contract is dead-lettered alone by the consumer", async () => {
    const name = await durable();
    const seen = new Map<string, number>();
    const consumer = await consumeDone(name, { maxBatch: 50, maxWaitMs: 20 }, async (items) => {
      for (const item of items) seen.set(item.payload.eventId, (seen.get(item.payload.eventId) ?? 0) + 1);
      return undefined;
    });
    const jsm = await jetstreamManager(bus.nc);
    const before = (await jsm.streams.info(bus.streamName(STREAM.name))).state.messages;
    const outbox = createOutbox(bus, log, { batch: true, maxBatchEvents: 64 });
    const sent = Array.from({ length: 200 }, (_, n) => event(n));
    for (const e of sent) outbox.enqueue(Done, e, e.eventId);
    // The outbox does not re-validate what its own process built; the consumer is where a bad event stops.
    outbox.enqueue(Done, { eventId: "bad", n: "not a number" } as never, "bad");
    await outbox.flush(10_000);
    expect(outbox.pending()).toBe(0);
    expect(outbox.dropped()).toBe(0);
    const messages = (await jsm.streams.info(bus.streamName(STREAM.name))).state.messages - before;
    expect(messages).toBe(Math.ceil(201 / 64));
    await waitFor(() => seen.size === 200, { what: "every event to be consumed" });
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    await waitFor(async () => (await deadLettersOf(name)) === 1, { what: "the bad event to be dead-lettered" });
    expect(seen.has("bad")).toBe(false);
    await consumer.stop(2000);
  });
});

describe("the batching outbox's linger", () => {
  const stored = async () => {
    const jsm = await jetstreamManager(bus.nc);
    return (await jsm.streams.info(bus.streamName(STREAM.name))).state.messages;
  };
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it("gathers events enqueued over several event-loop turns into one message", async () => {
    const before = await stored();
    const outbox = createOutbox(bus, log, { batch: true, lingerMs: 300 });
    for (let n = 0; n < 6; n++) {
      outbox.enqueue(Done, event(n), randomUUID());
      await nextTurn();
    }
    await waitFor(async () => (await stored()) - before === 1, { what: "the lingered batch to be stored" });
    expect(outbox.pending()).toBe(0);
    // Still one message: the six events did not leave one per turn.
    expect((await stored()) - before).toBe(1);
  });

  it("sends a full batch at once, and flush does not wait for the linger", async () => {
    const before = await stored();
    const outbox = createOutbox(bus, log, { batch: true, maxBatchEvents: 4, lingerMs: 60_000 });
    for (let n = 0; n < 4; n++) outbox.enqueue(Done, event(n), randomUUID());
    await waitFor(async () => (await stored()) - before === 1, { what: "the full batch to leave before its linger" });
    outbox.enqueue(Done, event(4), randomUUID());
    const started = Date.now();
    await outbox.flush(10_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outbox.pending()).toBe(0);
    expect((await stored()) - before).toBe(2);
  });
});

describe("consumers of batch messages", () => {
  it("dead-letter a bad event alone, and bring a message back whole after a transient failure", async () => {
    const name = await durable();
    const stored = new Set<string>();
    let failOnce = true;
    const deliveries: number[] = [];
    const consumer = await consumeDone(name, { maxBatch: 100, maxWaitMs: 20 }, async (items) => {
      deliveries.push(items.length);
      const failed = items.flatMap((item, index) => {
        if (item.payload.n === 2 && failOnce) {
          failOnce = false;
          return [{ index, reason: "store busy", permanent: false }];
        }
        stored.add(item.payload.eventId);
        return [];
      });
      return { failed };
    });
    const good = [event(1), event(2), event(3)];
    const encoded = [
      JSON.stringify(good[0]),
      JSON.stringify({ eventId: "poison", n: "x" }),
      ...good.slice(1).map((e) => JSON.stringify(e)),
    ];
    await publishEventBatch(bus, Done.subject, encoded, `batch:${randomUUID()}`);
    await waitFor(() => stored.size === 3 && deliveries.length >= 2, {
      what: "the batch to be stored after its redelivery",
      timeoutMs: 20_000,
    });
    // First delivery: 3 valid events (the poison one never reaches the handler); the redelivery: the same 3 again.
    expect(deliveries.slice(0, 2)).toEqual([3, 3]);
    await waitFor(async () => (await deadLettersOf(name)) === 1, { what: "the poison event's dead letter" });
    await consumer.stop(2000);
  });

  it("hand over at most maxBatch events per call, whatever count a message's batch header announces", async () => {
    const name = await durable();
    const calls: number[][] = [];
    const consumer = await consumeDone(name, { maxBatch: 3, maxWaitMs: 200 }, async (items) => {
      calls.push(items.map((item) => item.payload.n));
      return { failed: [] };
    });
    // Seven events under a header that says one: the header only decides when a batch is full, never how large.
    const h = headers();
    h.set(EVENT_BATCH_HEADER, "1");
    const events = [1, 2, 3, 4, 5, 6, 7].map(event);
    await jetstream(bus.nc).publish(bus.subject(Done.subject), JSON.stringify(events), { headers: h });
    await waitFor(() => calls.flat().length === 7, { what: "the seven events" });
    expect(calls.every((call) => call.length <= 3)).toBe(true);
    expect(calls.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await deadLettersOf(name)).toBe(0);
    await consumer.stop(2000);
  });

  it("hand a full batch over at once, without waiting for the time bound", async () => {
    const name = await durable();
    const calls: number[] = [];
    const consumer = await consumeDone(name, { maxBatch: 5, maxWaitMs: 60_000 }, async (items) => {
      calls.push(items.length);
      return { failed: [] };
    });
    const encoded = [1, 2, 3, 4, 5].map((n) => JSON.stringify(event(n)));
    await publishEventBatch(bus, Done.subject, encoded, `batch:${randomUUID()}`);
    await waitFor(() => calls.length === 1, { what: "the full batch, long before its minute", timeoutMs: 10_000 });
    expect(calls).toEqual([5]);
    await consumer.stop(2000);
  });

  it("one at a time: each event of a batch in order, a bad one dead-lettered alone", async () => {
    const name = await durable();
    const handled: number[] = [];
    const consumer = await consumeEach(
      bus,
      { stream: STREAM.name, durable: name, schema: Done.payload, log, deadLetters: createDeadLetters(bus, name, log) },
      async (message) => {
        handled.push(message.payload.n);
      },
    );
    const encoded = [event(1), { eventId: "poison" }, event(2), event(3)].map((e) => JSON.stringify(e));
    await publishEventBatch(bus, Done.subject, encoded, `batch:${randomUUID()}`);
    await waitFor(() => handled.length === 3, { what: "three events" });
    expect(handled).toEqual([1, 2, 3]);
    await waitFor(async () => (await deadLettersOf(name)) === 1, { what: "the poison event's dead letter" });
    await consumer.stop(2000);
  });
});
