/**
 * The quota engine over Redis: pre-flight check + reservation, post-flight settlement, and usage read-back. Window
 * time comes from Redis (scripts run one at a time, so replicas never disagree on the order of buckets); calendar
 * periods are named from the process clock. Tests inject a clock that drives both, to cross boundaries at will.
 */

import type { AppError } from "@thinkwatch/errors";
import type { QuotaDecision, QuotaHeadroom, Reservation } from "@thinkwatch/proto";
import { defineScript, type ScriptCall, type ScriptOutcome } from "@thinkwatch/redis";
import type { Redis } from "ioredis";
import { calendarPeriod } from "./calendar-period.js";
import { CHECK_LUA } from "./check-script.js";
import { budgetKeys, fromCounterUnits, seenKey, toCounterUnits, windowKey } from "./counter-keys.js";
import { type BudgetApplication, budgetLabel, type RuleApplication, ruleLabel } from "./labels.js";
import { SETTLE_LUA } from "./settle-script.js";

const BUCKETS = 60;
export const ALERT_THRESHOLDS = [50, 80, 95, 100] as const;

export interface CheckInput {
  /** Rules that apply to this request (enabled, unexpired, on its surface). */
  rules: RuleApplication[];
  budgets: BudgetApplication[];
  reservation?: Reservation | undefined;
}

export interface SettleInput {
  eventId: string;
  /** Token rules of the request's subjects. */
  rules: RuleApplication[];
  budgets: BudgetApplication[];
  weightedTokens: number;
  usd: number;
}

export interface BudgetAlert {
  application: BudgetApplication;
  label: string;
  periodId: string;
  thresholdPct: number;
  used: number;
}

export interface SettleResult {
  duplicate: boolean;
  alerts: BudgetAlert[];
}

export interface RuleUsage {
  application: RuleApplication;
  label: string;
  used: number;
  remaining: number;
  resetSeconds: number;
}

export interface BudgetUsage {
  application: BudgetApplication;
  label: string;
  used: number;
  reserved: number;
  remaining: number;
  periodStart: number;
  periodEnd: number;
}

export interface QuotaEngine {
  check(input: CheckInput): Promise<QuotaDecision>;
  /** Several checks in one Redis round trip, each still one atomic script run; a failed one is its AppError. */
  checkMany(inputs: CheckInput[]): Promise<Array<QuotaDecision | AppError>>;
  settle(input: SettleInput): Promise<SettleResult>;
  /** Several settlements in one Redis round trip, each still one atomic script run; a failed one is its AppError. */
  settleMany(inputs: SettleInput[]): Promise<Array<SettleResult | AppError>>;
  usage(rules: RuleApplication[], budgets: BudgetApplication[]): Promise<{ rules: RuleUsage[]; budgets: BudgetUsage[] }>;
}

export interface QuotaEngineOptions {
  redis: Redis;
  /** A fake clock for tests; without one, windows use Redis's clock and periods `Date.now`. */
  clock?: () => number;
  /** How long a reservation holds budget if its request is never settled (the gateway died). */
  reservationTtlMs: number;
  /** How long a settled event id is remembered, so a redelivery never double-counts. */
  markerTtlMs: number;
}

const bucketMs = (application: RuleApplication) => (application.rule.windowSeconds * 1000) / BUCKETS;

export function createQuotaEngine(options: QuotaEngineOptions): QuotaEngine {
  const clock = options.clock ?? Date.now;
  // What the scripts are told the time is: 0 makes them read Redis's own clock.
  const scriptNow = (now: number) => (options.clock === undefined ? 0 : now);
  const checkScript = defineScript<number[]>(options.redis, "twQuotaCheck", CHECK_LUA, "variadic");
  const settleScript = defineScript<number[]>(options.redis, "twQuotaSettle", SETTLE_LUA, "variadic");

  /** The script call of one check and how to read its reply (shared by single and batched checks). */
  const prepareCheck = ({ rules, budgets, reservation }: CheckInput) => {
    const now = clock();
    const keys: string[] = [];
    const args: Array<string | number> = [
      scriptNow(now),
      reservation?.id ?? "",
      options.reservationTtlMs,
      rules.length,
      budgets.length,
    ];
    for (const application of rules) {
      keys.push(windowKey(application));
      args.push(application.rule.limit, bucketMs(application), application.rule.metric === "requests" ? 1 : 0);
    }
    const periods = budgets.map((application) => {
      const period = calendarPeriod(application.budget.period, application.budget.timezone, now);
      keys.push(...budgetKeys(application, period));
      const unit = application.budget.unit;
      const estimate = reservation === undefined ? 0 : unit === "usd" ? reservation.usd : reservation.weightedTokens;
      args.push(toCounterUnits(unit, application.budget.limit), toCounterUnits(unit, estimate), period.endMs);
      return period;
    });
    const decide = (reply: number[]): QuotaDecision => {
      const [first = 0, second = 1000] = reply;
      if (first > 0) {
        const retryAfterSeconds = Math.max(1, Math.ceil(second / 1000));
        if (first <= rules.length) {
          const application = rules[first - 1] as RuleApplication;
          return {
            allowed: false,
            rejectedBy: {
              label: ruleLabel(application),
              limit: application.rule.limit,
              windowSeconds: application.rule.windowSeconds,
              retryAfterSeconds,
              kind: "rule",
            },
          };
        }
        const index = first - rules.length - 1;
        const application = budgets[index] as BudgetApplication;
        const period = periods[index];
        return {
          allowed: false,
          rejectedBy: {
            label: budgetLabel(application),
            limit: application.budget.limit,
            windowSeconds: period === undefined ? 0 : Math.round((period.endMs - period.startMs) / 1000),
            retryAfterSeconds,
            kind: "budget",
          },
        };
      }
      return { allowed: true, tightest: tightestOf(rules, budgets, reply) };
    };
    const call: ScriptCall = { keys, args };
    return { call, decide };
  };

  /** One settlement as a script call, and how its reply becomes the result. */
  const prepareSettle = ({ eventId, rules, budgets, weightedTokens, usd }: SettleInput) => {
    const now = clock();
    const keys = [seenKey(eventId)];
    const args: Array<string | number> = [scriptNow(now), eventId, options.markerTtlMs, rules.length, budgets.length];
    const tokens = toCounterUnits("tokens", weightedTokens);
    for (const application of rules) {
      keys.push(windowKey(application));
      args.push(bucketMs(application), tokens);
    }
    const periods = budgets.map((application) => {
      const period = calendarPeriod(application.budget.period, application.budget.timezone, now);
      keys.push(...budgetKeys(application, period));
      const unit = application.budget.unit;
      args.push(
        unit === "usd" ? toCounterUnits("usd", usd) : tokens,
        toCounterUnits(unit, application.budget.limit),
        period.endMs - now + 86_400_000,
      );
      return period;
    });
    const decide = (reply: number[]): SettleResult => {
      if (reply[0] === -1) return { duplicate: true, alerts: [] };
      const alerts: BudgetAlert[] = [];
      budgets.forEach((application, index) => {
        const mask = reply[1 + 2 * index] ?? 0;
        const used = fromCounterUnits(application.budget.unit, reply[2 + 2 * index] ?? 0);
        ALERT_THRESHOLDS.forEach((thresholdPct, bit) => {
          if ((mask & (1 << bit)) !== 0) {
            alerts.push({
              application,
              label: budgetLabel(application),
              periodId: (periods[index] as { id: string }).id,
              thresholdPct,
              used,
            });
          }
        });
      });
      return { duplicate: false, alerts };
    };
    return { call: { keys, args }, decide };
  };

  return {
    async check(input) {
      if (input.rules.length === 0 && input.budgets.length === 0) return { allowed: true };
      const prepared = prepareCheck(input);
      return prepared.decide(await checkScript(prepared.call.keys, prepared.call.args));
    },

    async checkMany(inputs) {
      const prepared = inputs.map((input) =>
        input.rules.length === 0 && input.budgets.length === 0 ? null : prepareCheck(input),
      );
      const calls = prepared.flatMap((entry) => (entry === null ? [] : [entry.call]));
      const outcomes = await checkScript.many(calls);
      let next = 0;
      return prepared.map((entry): QuotaDecision | AppError => {
        if (entry === null) return { allowed: true };
        const outcome = outcomes[next++] as ScriptOutcome<number[]>;
        return outcome.ok ? entry.decide(outcome.value) : outcome.error;
      });
    },

    async settle(input) {
      const prepared = prepareSettle(input);
      return prepared.decide(await settleScript(prepared.call.keys, prepared.call.args));
    },

    async settleMany(inputs) {
      const prepared = inputs.map(prepareSettle);
      const outcomes = await settleScript.many(prepared.map((entry) => entry.call));
      return prepared.map((entry, index): SettleResult | AppError => {
        const outcome = outcomes[index] as ScriptOutcome<number[]>;
        return outcome.ok ? entry.decide(outcome.value) : outcome.error;
      });
    },

    async usage(rules, budgets) {
      const now = clock();
      const pipeline = options.redis.pipeline();
      for (const application of rules) pipeline.hgetall(windowKey(application));
      const periods = budgets.map((application) => {
        const period = calendarPeriod(application.budget.period, application.budget.timezone, now);
        pipeline.hmget(budgetKeys(application, period)[0], "used", "reserved");
        return period;
      });
      const results = (await pipeline.exec()) ?? [];
      for (const [error] of results) if (error !== null) throw error;
      const ruleUsage = rules.map((application, index): RuleUsage => {
        const buckets = (results[index]?.[1] ?? {}) as Record<string, string>;
        const ms = bucketMs(application);
        const nowBucket = Math.floor(now / ms);
        let used = 0;
        let oldest = Number.POSITIVE_INFINITY;
        for (const [field, value] of Object.entries(buckets)) {
          const bucket = Number(field);
          if (bucket > nowBucket - BUCKETS && bucket <= nowBucket) {
            used += Number(value);
            oldest = Math.min(oldest, bucket);
          }
        }
        const resetMs = oldest === Number.POSITIVE_INFINITY ? BUCKETS * ms : (oldest + BUCKETS) * ms - now;
        return {
          application,
          label: ruleLabel(application),
          used,
          remaining: Math.max(0, application.rule.limit - used),
          resetSeconds: Math.ceil(resetMs / 1000),
        };
      });
      const budgetUsage = budgets.map((application, index): BudgetUsage => {
        const [usedRaw, reservedRaw] = (results[rules.length + index]?.[1] ?? []) as Array<string | null>;
        const unit = application.budget.unit;
        const used = fromCounterUnits(unit, Number(usedRaw ?? 0));
        const reserved = fromCounterUnits(unit, Math.max(0, Number(reservedRaw ?? 0)));
        const period = periods[index] as { startMs: number; endMs: number };
        return {
          application,
          label: budgetLabel(application),
          used,
          reserved,
          remaining: Math.max(0, application.budget.limit - used - reserved),
          periodStart: period.startMs,
          periodEnd: period.endMs,
        };
      });
      return { rules: ruleUsage, budgets: budgetUsage };
    },
  };
}

/** The counter with the least headroom (as a share of its limit), for `x-ratelimit-*` on admitted requests. */
function tightestOf(rules: RuleApplication[], budgets: BudgetApplication[], reply: number[]): QuotaHeadroom | undefined {
  let best: (QuotaHeadroom & { share: number }) | undefined;
  const consider = (label: string, limit: number, remaining: number, resetMs: number) => {
    const clamped = Math.max(0, remaining);
    const share = limit <= 0 ? 0 : clamped / limit;
    if (best === undefined || share < best.share) {
      best = { label, limit, remaining: clamped, resetSeconds: Math.max(0, Math.ceil(resetMs / 1000)), share };
    }
  };
  rules.forEach((application, index) => {
    consider(ruleLabel(application), application.rule.limit, reply[1 + 2 * index] ?? 0, reply[2 + 2 * index] ?? 0);
  });
  budgets.forEach((application, index) => {
    const at = 1 + 2 * (rules.length + index);
    const unit = application.budget.unit;
    consider(budgetLabel(application), application.budget.limit, fromCounterUnits(unit, reply[at] ?? 0), reply[at + 1] ?? 0);
  });
  if (best === undefined) return undefined;
  const { share: _share, ...headroom } = best;
  return headroom;
}
