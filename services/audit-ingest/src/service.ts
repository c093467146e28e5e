/**
 * audit-ingest: owns the ClickHouse schema; consumes every subject of the AUDIT stream (gateway requests, MCP tool
 * calls, audit records) and writes batches to their tables, acking after the insert. Messages that can never be
 * written go to the dead letters with the reason; retention drops old partitions daily.
 */
import { resolve } from "node:path";
import {
  announceInstance,
  type BatchConsumer,
  connectServiceBus,
  consumeBatches,
  consumerLag,
  createDeadLetters,
  ensureDurableConsumer,
  ensureStream,
  natsDependency,
  natsHealthCheck,
  openConfigStore,
  watchSettings,
} from "@thinkwatch/bus";
import { clickhouseDependency, clickhouseHealthCheck, createClickHouse, migrateClickHouse } from "@thinkwatch/clickhouse";
import { defineService, serviceHealth } from "@thinkwatch/lifecycle";
import { natsRequestObserver, whenCollected } from "@thinkwatch/metrics";
import { AUDIT_SUBJECT_ROOT, CONSUMERS, STREAMS } from "@thinkwatch/proto";
import * as v from "valibot";
import { AuditIngestConfigSchema } from "./config.js";
import { createLogWriter } from "./ingest/log-writer.js";
import { scheduleRetention } from "./ingest/retention.js";

/**
 * Any JSON object: each subject's own contract is checked per message by the writer, with a reason on failure. A
 * shape check only (a record schema would walk and copy every key of every event once more).
 */
const AnyEventSchema = v.custom<Record<string, unknown>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "an event must be a JSON object",
);

export const auditIngestService = defineService({
  name: "audit-ingest",
  config: AuditIngestConfigSchema,
  dependencies: (config) => [natsDependency(config.NATS_URL), clickhouseDependency(config)],
  async start(config, { log, instanceId, resources, metrics }) {
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
      observer: natsRequestObserver(metrics),
    });
    await ensureStream(bus, STREAMS.audit);
    await ensureStream(bus, STREAMS.deadLetter);
    await ensureDurableConsumer(bus, {
      stream: STREAMS.audit.name,
      durable: CONSUMERS.auditIngest,
      filterSubject: `${AUDIT_SUBJECT_ROOT}.>`,
      deliverFrom: "all",
      maxDeliver: config.AUDIT_MAX_DELIVER,
    });
    const settings = await watchSettings(await openConfigStore(bus, log), log);
    const retention = scheduleRetention(clickhouse, settings, log);
    const writer = createLogWriter(clickhouse);
    const deadLetters = createDeadLetters(bus, CONSUMERS.auditIngest, log);
    const consumer: BatchConsumer = await consumeBatches(
      bus,
      {
        stream: STREAMS.audit.name,
        durable: CONSUMERS.auditIngest,
        schema: AnyEventSchema,
        maxBatch: config.AUDIT_BATCH_MAX,
        maxWaitMs: config.AUDIT_BATCH_WAIT_MS,
        maxDeliver: config.AUDIT_MAX_DELIVER,
        deadLetters,
        log,
      },
      async (items, context) => {
        const result = await writer.write(items, context);
        if (result.skipped > 0) log.info({ inserted: result.inserted, skipped: result.skipped }, "skipped events already stored");
        if (result.sanitized > 0) log.warn({ sanitized: result.sanitized }, "stored events with values made safe");
        return { failed: result.failed };
      },
    );
    const unwatch = whenCollected(metrics, (sources) => {
      const dead = sources.deadLetters(CONSUMERS.auditIngest, () => deadLetters.total());
      const lag = sources.consumerLag(
        STREAMS.audit.name,
        CONSUMERS.auditIngest,
        consumerLag(bus, STREAMS.audit.name, CONSUMERS.auditIngest),
      );
      return () => {
        dead();
        lag();
      };
    });
    const health = serviceHealth([natsHealthCheck(bus), clickhouseHealthCheck(clickhouse)]);
    const announcement = announceInstance(bus, { service: "audit-ingest", process: instanceId, health: health.health });
    return {
      ...health,
      async stop(deadlineMs) {
        announcement.stop();
        unwatch();
        retention.stop();
        await consumer.stop(deadlineMs);
        settings.stop();
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
