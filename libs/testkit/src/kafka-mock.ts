/**
 * librdkafka's built-in mock cluster (`test.mock.num.brokers`): a real Kafka-protocol broker set living inside a
 * client that holds it open. Other clients reach it at the advertised host:port list; topics auto-create.
 */
import Kafka from "node-rdkafka";

export interface KafkaMockCluster {
  /** Bootstrap list for other clients, host:port[,host:port…]. */
  brokers: string;
  /** Every message of the topic from the beginning, read with assign() (no consumer-group join). */
  readTopic(topic: string, expected: number, timeoutMs?: number): Promise<Kafka.Message[]>;
  close(): Promise<void>;
}

export async function startKafkaMockCluster(brokerCount = 3): Promise<KafkaMockCluster> {
  const holder = new Kafka.Producer({ "test.mock.num.brokers": brokerCount, "client.id": "thinkwatch-mock-holder" } as never);
  await new Promise<void>((resolve, reject) => holder.connect({}, (error) => (error ? reject(error) : resolve())));
  const metadata = await new Promise<Kafka.Metadata>((resolve, reject) =>
    holder.getMetadata({ timeout: 10_000 }, (error, data) => (error ? reject(error) : resolve(data))),
  );
  const brokers = metadata.brokers.map((b) => `${b.host}:${b.port}`).join(",");

  return {
    brokers,
    async readTopic(topic, expected, timeoutMs = 20_000) {
      const consumer = new Kafka.KafkaConsumer(
        { "metadata.broker.list": brokers, "group.id": `reader-${Date.now()}`, "enable.auto.commit": false },
        { "auto.offset.reset": "earliest" },
      );
      await new Promise<void>((resolve, reject) => consumer.connect({}, (error) => (error ? reject(error) : resolve())));
      try {
        const meta = await new Promise<Kafka.Metadata>((resolve, reject) =>
          consumer.getMetadata({ topic, timeout: 10_000 }, (error, data) => (error ? reject(error) : resolve(data))),
        );
        const partitions = meta.topics.find((t) => t.name === topic)?.partitions ?? [];
        consumer.assign(partitions.map((p) => ({ topic, partition: p.id, offset: 0 })));
        const messages: Kafka.Message[] = [];
        const deadline = Date.now() + timeoutMs;
        while (messages.length < expected && Date.now() < deadline) {
          const batch = await new Promise<Kafka.Message[]>((resolve, reject) =>
            consumer.consume(500, (error, got) => (error ? reject(error) : resolve(got))),
          );
          messages.push(...batch);
        }
        return messages;
      } finally {
        await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
      }
    },
    async close() {
      await new Promise<void>((resolve) => holder.disconnect(() => resolve()));
    },
  };
}
