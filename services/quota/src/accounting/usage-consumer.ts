/**
 * Post-flight accounting: quota's own durable consumer on the AUDIT stream, filtered to gateway request events.
 * Each event settles its reservation and counts its real weighted tokens / cost into the token windows and budgets of
 * its subjects — idempotent per event id, so a redelivery never double-counts. Events of subjects without token
 * rules or budgets cost nothing but the cache lookup.
 */
import {
  type BatchConsumer,
  type Bus,
  consumeBatches,
  createDeadLetters,
  type DeadLetters,
  ensureDurableConsumer,
  ensureStream,
} from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import {
  CONSUMERS,
  GatewayRequestCompleted,
  type GatewayRequestEvent,
  GatewayRequestEventSchema,
  STREAMS,
} from "@thinkwatch/proto";
import type { QuotaEngine } from "../engine/quota-engine.js";
import { applicableLimits } from "../limits/applicable.js";
import type { LimitCache } from "../limits/limit-cache.js";
import type { BudgetAlerter } from "./budget-alerts.js";
import { subjectsOfEvent } from "./event-subjects.js";

export interface UsageAccountingDeps {
  bus: Bus;
  cache: LimitCache;
  engine: QuotaEngine;
  alerter: BudgetAlerter;
  clock: () => number;
  log: Logger;
  /** Where undeliverable events go; created here when not given. */
  deadLetters?: DeadLetters;
}

export async function settleEvent(deps: Omit<UsageAccountingDeps, "bus" | "log">, event: GatewayRequestEvent): Promise<boolean> {
  const applicable = await applicableLimits(deps.cache, subjectsOfEvent(event), "ai_gateway", deps.clock(), "settle");
  if (applicable.rules.length === 0 && applicable.budgets.length === 0) return false;
  const result = await deps.engine.settle({
    eventId: event.eventId,
    rules: applicable.rules,
    budgets: applicable.budgets,
    weightedTokens: (event.weightedInputTokens ?? 0) + (event.weightedOutputTokens ?? 0),
    usd: event.costUsd ?? 0,
  });
  if (!result.duplicate) deps.alerter.fire(result.alerts, { requestId: event.requestId, teamId: event.teamId });
  return !result.duplicate;
}

export async function startUsageAccounting(deps: UsageAccountingDeps): Promise<BatchConsumer> {
  await ensureStream(deps.bus, STREAMS.audit);
  await ensureDurableConsumer(deps.bus, {
    stream: STREAMS.audit.name,
    durable: CONSUMERS.quotaUsage,
    filterSubject: GatewayRequestCompleted.subject,
    // Counters start with the first deployment of quota; history before it is not replayed into them.
    deliverFrom: "new",
  });
  return consumeBatches(
    deps.bus,
    {
      stream: STREAMS.audit.name,
      durable: CONSUMERS.quotaUsage,
      schema: GatewayRequestEventSchema,
      maxBatch: 256,
      maxWaitMs: 10,
      deadLetters: deps.deadLetters ?? createDeadLetters(deps.bus, CONSUMERS.quotaUsage, deps.log),
      log: deps.log,
    },
    async (items) => {
      // Independent events: settle concurrently. A failure naks the batch; settled ones are skipped on redelivery.
      await Promise.all(items.map((item) => settleEvent(deps, item.payload)));
    },
  );
}
