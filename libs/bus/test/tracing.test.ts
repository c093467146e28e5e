/**
 * Spans on the real NATS server with an in-memory exporter: a served request is traced only as part of its
 * requester's trace, and a batch message of events makes one consumer span (not one per event), child of its
 * publish span; work outside any trace makes no span on either side.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { createLogger } from "@thinkwatch/log";
import { eventContract, requestContract, STREAMS } from "@thinkwatch/proto";
import { waitFor } from "@thinkwatch/testkit";
import { endSpan, SpanKind, startSpan, withSpan } from "@thinkwatch/tracing";
import { type InMemoryTracing, startInMemoryTracing } from "@thinkwatch/tracing/testing";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeBatches } from "../src/batch-consumer.js";
import { type Bus, connectBus } from "../src/bus.js";
import { createDeadLetters } from "../src/dead-letters.js";
import { ensureDurableConsumer, ensureStream, publishEventBatch } from "../src/jetstream.js";

const Echo = requestContract("test.v1.echo", v.object({ text: v.string() }), v.object({ text: v.string() }));
const Done = eventContract("test.v1.evt.traced.done", v.object({ eventId: v.string(), n: v.number() }));
const STREAM = { name: "EVTTRACE", subjects: ["test.v1.evt.>"] };
const log = createLogger({ service: "test", level: "silent" });
let bus: Bus;
let tracing: InMemoryTracing;

beforeAll(async () => {
  tracing = await startInMemoryTracing();
  bus = await connectBus({
    url: process.env.NATS_URL ?? "nats://127.0.0.1:4222",
    namespace: `t${randomBytes(4).toString("hex")}`,
    name: "bus-tracing",
    log,
  });
  await ensureStream(bus, STREAM);
  await ensureStream(bus, STREAMS.deadLetter);
  bus.serve(Echo, async (req) => ({ text: req.text }));
});

afterAll(async () => {
  const jsm = await jetstreamManager(bus.nc);
  for (const name of [STREAM.name, STREAMS.deadLetter.name]) await jsm.streams.delete(bus.streamName(name)).catch(() => false);
  await bus.close(500);
  await tracing.shutdown();
});

const named = (name: string) => tracing.spans().filter((span) => span.name === name);
/** Time for a span that should not exist to have been ended and exported if it did. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe("NATS spans", () => {
  it("serves a request under a span only when the request comes from inside a trace", async () => {
    expect(await bus.request(Echo, { text: "background" })).toEqual({ text: "background" });
    const root = startSpan("test", "operation", { kind: SpanKind.INTERNAL });
    await withSpan(root, () => bus.request(Echo, { text: "traced" }));
    endSpan(root);

    const served = await waitFor(() => (named("test.v1.echo process").length > 0 ? named("test.v1.echo process") : null), {
      what: "the server span",
    });
    await settle();
    const [request] = named("test.v1.echo request");
    expect(request?.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
    // One request was traced: exactly one server span, child of its client span; the background one made none.
    expect(named("test.v1.echo process")).toHaveLength(1);
    expect(served[0]?.kind).toBe(SpanKind.SERVER);
    expect(served[0]?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    expect(named("test.v1.echo request")).toHaveLength(1);
  });

  it("makes one consumer span per batch message, child of its publish span; an untraced message makes none", async () => {
    const durable = `c-${randomUUID().slice(0, 8)}`;
    await ensureDurableConsumer(bus, {
      stream: STREAM.name,
      durable,
      filterSubject: Done.subject,
      deliverFrom: "new",
      ackWaitMs: 2000,
    });
    const handled = new Set<number>();
    const consumer = await consumeBatches(
      bus,
      {
        stream: STREAM.name,
        durable,
        schema: Done.payload,
        maxBatch: 100,
        maxWaitMs: 20,
        log,
        deadLetters: createDeadLetters(bus, durable, log),
      },
      async (items) => {
        for (const item of items) handled.add(item.payload.n);
        return undefined;
      },
    );
    const encode = (n: number) => JSON.stringify({ eventId: randomUUID(), n });
    const root = startSpan("test", "operation", { kind: SpanKind.INTERNAL });
    await withSpan(root, () => publishEventBatch(bus, Done.subject, [1, 2, 3].map(encode), `batch:${randomUUID()}`));
    endSpan(root);
    await publishEventBatch(bus, Done.subject, [4, 5].map(encode), `batch:${randomUUID()}`);
    await waitFor(() => handled.size === 5, { what: "every event to be handled" });

    const processName = `${Done.subject} process`;
    const consumed = await waitFor(() => (named(processName).length > 0 ? named(processName) : null), {
      what: "the consumer span",
    });
    await settle();
    const publishes = named(`${Done.subject} publish`);
    expect(publishes).toHaveLength(1);
    expect(named(processName)).toHaveLength(1);
    expect(consumed[0]?.kind).toBe(SpanKind.CONSUMER);
    expect(consumed[0]?.parentSpanContext?.spanId).toBe(publishes[0]?.spanContext().spanId);
    expect(consumed[0]?.attributes["messaging.batch.message_count"]).toBe(3);
    expect(consumed[0]?.attributes["messaging.consumer.group.name"]).toBe(durable);
    await consumer.stop(2000);
  });
});
