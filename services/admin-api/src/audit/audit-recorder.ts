/**
 * How admin-api records what happens on the console — admin changes (who changed what, before and after), auth
 * events — as audit records on the AUDIT stream. Recording never blocks or fails the request: the record goes to
 * the outbox, which publishes it in the background and retries while NATS is away.
 */
import { randomUUID } from "node:crypto";
import type { Outbox } from "@thinkwatch/bus";
import { type AuditActor, type AuditRecord, auditRecordContract } from "@thinkwatch/proto";

export type AuditInput = Pick<AuditRecord, "category" | "action" | "actor"> &
  Partial<Pick<AuditRecord, "target" | "outcome" | "teamId" | "details" | "before" | "after" | "requestId" | "traceId">>;

export interface AuditRecorder {
  record(input: AuditInput): void;
}

export function createOutboxAuditRecorder(outbox: Outbox, now: () => number = Date.now): AuditRecorder {
  return {
    record(input) {
      const record: AuditRecord = {
        eventId: randomUUID(),
        occurredAt: now(),
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
      outbox.enqueue(auditRecordContract(record.action), record, record.eventId);
    },
  };
}

export const SYSTEM_ACTOR: AuditActor = { kind: "system", id: null, name: "admin-api", ip: null, userAgent: null };
