/** audit-ingest: owns the ClickHouse schema; consumes the AUDIT stream and writes batches, acking after the insert. */
import { resolve } from "node:path";
import {
  type BatchConsumer,
  connectServiceBus,
  consumeBatches,
  ensureDurableConsumer,
  ensureStream,
  natsDependency,
} from "@thinkwatch/bus";
import { clickhouseDependency, createClickHouse, migrateClickHouse } from "@thinkwatch/clickhouse";
import { defineService } from "@thinkwatch/lifecycle";
import { CONSUMERS, GatewayRequestCompleted, GatewayRequestEventSchema, STREAMS } from "@thinkwatch/proto";
import { AuditIngestConfigSchema } from "./config.js";
import { createGatewayLogWriter } from "./ingest/gateway-log-writer.js";

export const auditIngestService = defineService({
  name: "audit-ingest",
  config: AuditIngestConfigSchema,
  dependencies: (config) => [natsDependency(config.NATS_URL), clickhouseDependency(config)],
  async start(config, { log, instanceId, resources }) {
    const clickhouse = createClickHouse({
      url: config.CLICKHOUSE_URL,
      database: config.CLICKHOUSE_DB,
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
      log,
    });
    await migrateClickHouse(clickhouse, resolve(migrationsRoot(), "clickhouse"));
    const bus = await connectServiceBus(resources, {
      url: config.NATS_URL,
      namespace: config.THINKWATCH_NAMESPACE,
      name: `thinkwatch-${instanceId}`,
      log,
    });
    await ensureStream(bus, STREAMS.audit);
    await ensureDurableConsumer(bus, {
      stream: STREAMS.audit.name,
      durable: CONSUMERS.auditIngestGateway,
      filterSubject: GatewayRequestCompleted.subject,
      deliverFrom: "all",
    });
    const writer = createGatewayLogWriter(clickhouse);
    const consumer: BatchConsumer = await consumeBatches(
      bus,
      {
        stream: STREAMS.audit.name,
        durable: CONSUMERS.auditIngestGateway,
        schema: GatewayRequestEventSchema,
        maxBatch: config.AUDIT_BATCH_MAX,
        maxWaitMs: config.AUDIT_BATCH_WAIT_MS,
        log,
      },
      async (items) => {
        const { inserted, skipped } = await writer.write(items);
        if (skipped > 0) log.info({ inserted, skipped }, "skipped events already stored (redelivery)");
      },
    );
    return {
      ready: async () => {
        if (!bus.isConnected()) return false;
        await clickhouse.ping();
        return true;
      },
      async stop(deadlineMs) {
        await consumer.stop(deadlineMs);
        await bus.close(deadlineMs);
        await clickhouse.close();
      },
    };
  },
});

/** migrations/ at the repository root (the bundle lives in services/<x>/dist, sources in services/<x>/src). */
function migrationsRoot(): string {
  return resolve(import.meta.dirname, "../../../migrations");
}
