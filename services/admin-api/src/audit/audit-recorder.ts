/**
 * How admin-api records what happens on the console — admin changes (who changed what, before and after), auth
 * events — as audit records on the AUDIT stream, through a PostgreSQL transactional outbox: the record is a row of
 * `audit_outbox`, written in the caller's transaction when one is given (so the change and its record commit or
 * roll back together), and published from there by the outbox publisher.
 *
 * `record(input)` keeps the old call shape: without a transaction it writes the row on its own and never throws
 * (a failure is logged and the record goes to the in-memory outbox instead), so a request is never failed or held
 * up by auditing. `await record(input, tx)` inside `db.transaction` is the transactional form.
 */
import { randomUUID } from "node:crypto";
import type { Outbox } from "@thinkwatch/bus";
import { type Database, tables } from "@thinkwatch/db";
import type { Logger } from "@thinkwatch/log";
import { type AuditActor, type AuditRecord, auditRecordContract } from "@thinkwatch/proto";
import { sql } from "drizzle-orm";

export type AuditInput = Pick<AuditRecord, "category" | "action" | "actor"> &
  Partial<Pick<AuditRecord, "target" | "outcome" | "teamId" | "details" | "before" | "after" | "requestId" | "traceId">>;

/** A drizzle transaction of the admin-api database (the argument `db.transaction` hands its callback). */
export type DbTransaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface AuditRecorder {
  record(input: AuditInput, tx?: DbTransaction): Promise<void>;
}

export const OUTBOX_CHANNEL = "audit_outbox";

export function toAuditRecord(input: AuditInput, now: number): AuditRecord {
  return {
    eventId: randomUUID(),
    occurredAt: now,
    traceId: input.traceId ?? null,
    requestId: input.requestId ?? null,
    category: input.category,
    action: input.action,
    actor: input.actor,
    target: input.target ?? null,
    outcome: input.outcome ?? "success",
    teamId: input.teamId ?? null,
    details: input.details ?? {},
    before: input.before ?? null,
    after: input.after ?? null,
  };
}

async function insert(executor: Database | DbTransaction, record: AuditRecord): Promise<void> {
  const contract = auditRecordContract(record.action);
  await executor.insert(tables.auditOutbox).values({ eventId: record.eventId, subject: contract.subject, payload: record });
  // Delivered on commit only: wakes the publisher without polling.
  await executor.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}

export function createPostgresAuditRecorder(
  db: Database,
  fallback: Outbox,
  log: Logger,
  now: () => number = Date.now,
): AuditRecorder {
  return {
    async record(input, tx) {
      const record = toAuditRecord(input, now());
      if (tx !== undefined) {
        await insert(tx, record);
        return;
      }
      try {
        await db.transaction((own) => insert(own, record));
      } catch (caught) {
        log.error({ err: caught, action: record.action }, "cannot write the audit outbox; publishing directly");
        fallback.enqueue(auditRecordContract(record.action), record, record.eventId);
      }
    },
  };
}

/** The in-memory form, for tools and tests without PostgreSQL. */
export function createOutboxAuditRecorder(outbox: Outbox, now: () => number = Date.now): AuditRecorder {
  return {
    async record(input) {
      const record = toAuditRecord(input, now());
      outbox.enqueue(auditRecordContract(record.action), record, record.eventId);
    },
  };
}

export const SYSTEM_ACTOR: AuditActor = { kind: "system", id: null, name: "admin-api", ip: null, userAgent: null };
