/**
 * Publishes `audit_outbox` rows to the AUDIT stream and deletes them, oldest first, in batches. Woken by the
 * NOTIFY each committed record sends, and by a slow poll as a safety net. Replicas share the table safely: rows are
 * claimed with FOR UPDATE SKIP LOCKED, and the event id is the JetStream message id, so a row published twice (a
 * crash between publish and delete) is stored once.
 */

import type { Bus } from "@thinkwatch/bus";
import { publishEvent } from "@thinkwatch/bus";
import { type Database, tables } from "@thinkwatch/db";
import type { Logger } from "@thinkwatch/log";
import { AuditRecordSchema, eventContract } from "@thinkwatch/proto";
import { asc, inArray, sql } from "drizzle-orm";
import type postgres from "postgres";
import { OUTBOX_CHANNEL } from "./audit-recorder.js";

const BATCH = 200;

export interface OutboxPublisher {
  /** Publish what is pending now (also what the poll and NOTIFY call). */
  drain(): Promise<void>;
  /** Rows not yet published. */
  pending(): Promise<number>;
  stop(deadlineMs: number): Promise<void>;
}

export async function startOutboxPublisher(
  db: Database,
  pgClient: postgres.Sql,
  bus: Bus,
  log: Logger,
  pollMs = 2000,
): Promise<OutboxPublisher> {
  const { auditOutbox } = tables;
  let running: Promise<void> | null = null;
  let again = false;
  let failures = 0;

  const batch = () =>
    db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(auditOutbox)
        .orderBy(asc(auditOutbox.id))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      for (const row of rows) {
        await publishEvent(bus, eventContract(row.subject, AuditRecordSchema), row.payload as never, row.eventId);
      }
      if (rows.length > 0)
        await tx.delete(auditOutbox).where(
          inArray(
            auditOutbox.id,
            rows.map((r) => r.id),
          ),
        );
      return rows.length;
    });

  const drain = (): Promise<void> => {
    if (running !== null) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          while ((await batch()) === BATCH) {
            // a full batch: more may be waiting
          }
        } while (again);
        failures = 0;
      } catch (caught) {
        failures += 1;
        if (failures === 1 || failures % 30 === 0) log.warn({ err: caught, failures }, "audit outbox publish failed; will retry");
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const listener = await pgClient.listen(OUTBOX_CHANNEL, () => void drain());
  const timer = setInterval(() => void drain(), pollMs);
  timer.unref();
  void drain();

  return {
    drain,
    async pending() {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditOutbox);
      return row?.n ?? 0;
    },
    async stop(deadlineMs) {
      clearInterval(timer);
      await listener.unlisten().catch(() => undefined);
      await Promise.race([drain(), new Promise((resolve) => setTimeout(resolve, deadlineMs).unref())]);
    },
  };
}
