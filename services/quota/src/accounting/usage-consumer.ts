/**
 * Post-flight accounting: quota's own durable consumer on the AUDIT stream, filtered to gateway request events.
 * Each event settles its reservation and counts its real weighted tokens / cost into the token windows and budgets of
 * its subjects — idempotent per event id, so a redelivery never double-counts. Events of subjects without token
 * rules or budgets cost nothing but the cache lookup. Each event is validated for the fields accounting reads, not its
 * whole contract: audit-ingest judges the rest (and dead-letters an event outside it), so a wrong field the counters
 * never read neither costs every event a full check here nor loses usage that was really spent.
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
import { AppError } from "@thinkwatch/errors";
import type { Logger } from "@thinkwatch/log";
import { CONSUMERS, GatewayRequestCompleted, GatewayRequestEventSchema, STREAMS } from "@thinkwatch/proto";
import * as v from "valibot";
import type { QuotaEngine, SettleInput } from "../engine/quota-engine.js";
import { type Applicable, applicableLimits, cachedApplicable } from "../limits/applicable.js";
import type { LimitCache } from "../limits/limit-cache.js";
import type { BudgetAlerter } from "./budget-alerts.js";
import { subjectsOfEvent } from "./event-subjects.js";

/** The fields of a gateway event that accounting reads (subjects, id, weighted tokens, cost). */
export const GatewayUsageSchema = v.pick(GatewayRequestEventSchema, [
  "eventId",
  "requestId",
  "apiKeyId",
  "apiKeyLineageId",
  "userId",
  "providerId",
  "teamId",
  "weightedInputTokens",
  "weightedOutputTokens",
  "costUsd",
]);
export type GatewayUsage = v.InferOutput<typeof GatewayUsageSchema>;

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

export async function settleEvent(deps: Omit<UsageAccountingDeps, "bus" | "log">, event: GatewayUsage): Promise<boolean> {
  const [settled] = await settleEvents(deps, [event]);
  return settled === true;
}

/**
 * The events of one batch: the limits of each are looked up (cached), and every event with something to count is
 * settled in one Redis round trip, each settlement still one atomic script run. Resolves to whether each event was
 * counted now (false: nothing applied, or already counted); rejects if any settlement failed, so the batch comes back
 * and the ones already counted are skipped as duplicates.
 */
export async function settleEvents(deps: Omit<UsageAccountingDeps, "bus" | "log">, events: GatewayUsage[]): Promise<boolean[]> {
  const now = deps.clock();
  // Cached limits answer at once; only a batch with some to load waits (and then for all of its loads together).
  const lookups = events.map((event) => {
    const subjects = subjectsOfEvent(event);
    return (
      cachedApplicable(deps.cache, subjects, "ai_gateway", now, "settle") ??
      applicableLimits(deps.cache, subjects, "ai_gateway", now, "settle")
    );
  });
  const found = lookups.some((entry) => entry instanceof Promise) ? await Promise.all(lookups) : (lookups as Applicable[]);
  const settled = events.map(() => false);
  const toSettle: Array<{ index: number; input: SettleInput }> = [];
  found.forEach((applicable, index) => {
    if (applicable.rules.length === 0 && applicable.budgets.length === 0) return;
    const event = events[index] as GatewayUsage;
    toSettle.push({
      index,
      input: {
        eventId: event.eventId,
        rules: applicable.rules,
        budgets: applicable.budgets,
        weightedTokens: (event.weightedInputTokens ?? 0) + (event.weightedOutputTokens ?? 0),
        usd: event.costUsd ?? 0,
      },
    });
  });
  if (toSettle.length === 0) return settled;
  const results = await deps.engine.settleMany(toSettle.map((entry) => entry.input));
  let failure: AppError | undefined;
  results.forEach((result, at) => {
    const { index } = toSettle[at] as { index: number };
    if (result instanceof AppError) {
      failure ??= result;
      return;
    }
    if (result.duplicate) return;
    settled[index] = true;
    const event = events[index] as GatewayUsage;
    deps.alerter.fire(result.alerts, { requestId: event.requestId, teamId: event.teamId });
  });
  if (failure !== undefined) throw failure;
  return settled;
}

export async function startUsageAccounting(deps: UsageAccountingDeps): Promise<BatchConsumer> {
  await ensureStream(deps.bus, STREAMS.audit);
  // Where its dead letters go, whichever service starts first.
  await ensureStream(deps.bus, STREAMS.deadLetter);
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
      schema: GatewayUsageSchema,
      maxBatch: 256,
      maxWaitMs: 10,
      deadLetters: deps.deadLetters ?? createDeadLetters(deps.bus, CONSUMERS.quotaUsage, deps.log),
      log: deps.log,
    },
    async (items) => {
      // One Redis round trip for the batch. A failure naks the batch; settled ones are skipped on redelivery.
      await settleEvents(
        deps,
        items.map((item) => item.payload),
      );
    },
  );
}
