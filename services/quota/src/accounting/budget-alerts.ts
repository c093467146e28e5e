/**
 * Budget threshold alerts: a structured warn log and an audit record (`budget.threshold_crossed`) per threshold the
 * settlement reports — the script reports each threshold once per period. The record's id is derived from the
 * counter and threshold, so a republish after a crash is stored once by the stream's duplicate window.
 */
import { createHash } from "node:crypto";
import type { Outbox } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { type AuditRecord, auditRecordContract } from "@thinkwatch/proto";
import type { BudgetAlert } from "../engine/quota-engine.js";

export const BudgetThresholdCrossed = auditRecordContract("budget.threshold_crossed");

export interface BudgetAlerter {
  fire(alerts: BudgetAlert[], context: { requestId: string; teamId: string | null }): void;
}

function stableUuid(text: string): string {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function createBudgetAlerter(outbox: Outbox, log: Logger, now: () => number = Date.now): BudgetAlerter {
  return {
    fire(alerts, context) {
      for (const alert of alerts) {
        const { subject, budget } = alert.application;
        const facts = {
          subjectKind: subject.kind,
          subjectId: subject.id,
          label: alert.label,
          period: budget.period,
          periodId: alert.periodId,
          unit: budget.unit,
          limit: budget.limit,
          used: alert.used,
          thresholdPct: alert.thresholdPct,
        };
        log.warn(facts, "budget threshold crossed");
        const record: AuditRecord = {
          eventId: stableUuid(
            `${subject.kind}:${subject.id}:${budget.unit}:${budget.period}:${alert.periodId}:${alert.thresholdPct}`,
          ),
          occurredAt: now(),
          traceId: null,
          requestId: context.requestId,
          category: "budget",
          action: "budget.threshold_crossed",
          actor: { kind: "system", id: null, name: "quota", ip: null, userAgent: null },
          target: { kind: subject.kind, id: subject.id, name: null },
          outcome: "success",
          teamId: subject.kind === "team" ? subject.id : context.teamId,
          details: facts,
          before: null,
          after: null,
        };
        outbox.enqueue(BudgetThresholdCrossed, record, record.eventId);
      }
    },
  };
}
