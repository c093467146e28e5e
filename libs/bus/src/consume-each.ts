/**
 * A durable consumer processed one message at a time, in order: ack after the handler succeeded, nak with a
 * growing delay when it failed (the message comes back, nothing is lost), term a message outside its contract.
 */

import { jetstream } from "@nats-io/jetstream";
import type { Logger } from "@thinkwatch/log";
import type { AnySchema } from "@thinkwatch/proto";
import type * as v from "valibot";
import type { Bus } from "./bus.js";
import { checkedPayload } from "./checked-message.js";

export interface EachMessage<T> {
  payload: T;
  /** Subject without the deployment namespace. */
  subject: string;
  deliveryCount: number;
}

export interface EachConsumer {
  stop(deadlineMs: number): Promise<void>;
}

export async function consumeEach<S extends AnySchema>(
  bus: Bus,
  options: { stream: string; durable: string; schema: S; log: Logger },
  handler: (message: EachMessage<v.InferOutput<S>>) => Promise<void>,
): Promise<EachConsumer> {
  const js = jetstream(bus.nc);
  const consumer = await js.consumers.get(bus.streamName(options.stream), options.durable);
  const messages = await consumer.consume({ max_messages: 64 });
  const log = options.log.child({ consumer: options.durable });
  const prefix = bus.subject("");
  let current: Promise<void> = Promise.resolve();

  const loop = (async () => {
    for await (const msg of messages) {
      const checked = checkedPayload(msg, options.schema, log);
      if (!checked.ok) continue;
      const subject = msg.subject.startsWith(prefix) ? msg.subject.slice(prefix.length) : msg.subject;
      current = handler({ payload: checked.payload, subject, deliveryCount: msg.info.deliveryCount }).then(
        () => msg.ack(),
        (caught: unknown) => {
          const attempt = msg.info.deliveryCount;
          if (attempt === 1 || attempt % 10 === 0)
            log.warn({ err: caught, seq: msg.seq, attempt }, "delivery failed; will retry");
          msg.nak(Math.min(300_000, 1000 * 2 ** Math.min(attempt - 1, 8)));
        },
      );
      await current;
    }
  })().catch((caught) => log.error({ err: caught }, "consumer loop ended with an error"));

  return {
    async stop(deadlineMs) {
      await messages.close().catch(() => undefined);
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, deadlineMs).unref())]);
      await current;
    },
  };
}
