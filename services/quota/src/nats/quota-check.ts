/**
 * quota.v1.check and quota.v1.check_batch: the pre-flight decision of gateway requests. Resolves every live rule and
 * budget of every subject of a request and runs them through the engine in one atomic call; a batch's calls travel
 * to Redis in one write and one round trip. Each message goes to Redis on its own: coalescing the messages of one
 * event-loop turn into one write was measured and dropped — concurrent batches then travelled as one convoy, each
 * waiting for the other's replies, and the batch lane lost a third of its throughput. When Redis cannot be asked,
 * `security.rateLimitFailClosed` decides: let the request through (default) or refuse it.
 */
import type { Bus, SettingsHolder } from "@thinkwatch/bus";
import { AppError } from "@thinkwatch/errors";
import type { Logger } from "@thinkwatch/log";
import {
  QuotaCheck,
  QuotaCheckBatch,
  type QuotaCheckRequest,
  type QuotaDecision,
  RATE_LIMITER_UNAVAILABLE,
} from "@thinkwatch/proto";
import type { CheckInput, QuotaEngine } from "../engine/quota-engine.js";
import { type Applicable, applicableLimits, cachedApplicable } from "../limits/applicable.js";
import type { LimitCache } from "../limits/limit-cache.js";
import type { CheckObserver } from "../metrics/quota-metrics.js";

export interface QuotaCheckDeps {
  bus: Bus;
  cache: LimitCache;
  engine: QuotaEngine;
  settings: SettingsHolder;
  clock: () => number;
  log: Logger;
  /** Metrics of each decision (quota_check_duration_seconds, fail-policy counters). */
  observe?: CheckObserver;
}

/** While Redis is down every request fails the same way: say so once per interval, not once per request. */
const WARN_INTERVAL_MS = 10_000;

/** The decision of the fail-open policy (one object, so the metrics can tell it from an ordinary admission). */
const FAIL_OPEN: QuotaDecision = { allowed: true };

export interface QuotaChecker {
  check(request: QuotaCheckRequest): Promise<QuotaDecision>;
  /**
   * Decisions in order; every check that reaches Redis goes in one round trip (a script run per 32 checks), each
   * atomic on its own.
   */
  checkBatch(requests: QuotaCheckRequest[]): Promise<QuotaDecision[]>;
}

export function createQuotaChecker(deps: QuotaCheckDeps): QuotaChecker {
  let lastWarnAt = 0;
  let suppressed = 0;
  const observe = deps.observe ?? (() => undefined);
  const failPolicy = (caught: unknown, count: number): QuotaDecision => {
    const failClosed = deps.settings.current().security.rateLimitFailClosed;
    const now = Date.now();
    if (now - lastWarnAt >= WARN_INTERVAL_MS) {
      deps.log.warn({ err: caught, failClosed, suppressed }, "rate limiter unavailable (Redis); applying the fail policy");
      lastWarnAt = now;
      suppressed = 0;
    } else {
      suppressed += count;
    }
    return failClosed ? RATE_LIMITER_UNAVAILABLE : FAIL_OPEN;
  };
  const applicableOf = (request: QuotaCheckRequest) => {
    const now = deps.clock();
    return (
      cachedApplicable(deps.cache, request.subjects, request.surface, now, "check") ??
      applicableLimits(deps.cache, request.subjects, request.surface, now, "check")
    );
  };

  /** Decisions of checks whose limits are known; those with nothing to check never wait for Redis. */
  const decide = async (requests: QuotaCheckRequest[], applicable: Applicable[]): Promise<QuotaDecision[]> => {
    const inputs: CheckInput[] = [];
    for (const [index, limits] of applicable.entries()) {
      if (limits.rules.length > 0 || limits.budgets.length > 0)
        inputs.push({ ...limits, reservation: requests[index]?.reservation });
    }
    let outcomes: Array<QuotaDecision | AppError> = [];
    if (inputs.length > 0) {
      try {
        outcomes = await deps.engine.checkMany(inputs);
      } catch (caught) {
        const decision = failPolicy(caught, inputs.length);
        outcomes = inputs.map(() => decision);
      }
    }
    let next = 0;
    return applicable.map((limits): QuotaDecision => {
      if (limits.rules.length === 0 && limits.budgets.length === 0) return { allowed: true };
      const outcome = outcomes[next++] as QuotaDecision | AppError;
      return outcome instanceof AppError ? failPolicy(outcome, 1) : outcome;
    });
  };

  return {
    async check(request) {
      const started = performance.now();
      const applicable = await applicableOf(request);
      const [decision = FAIL_OPEN] = await decide([request], [applicable]);
      observe(outcomeOf(applicable, decision), (performance.now() - started) / 1000, applicable.budgets.length > 0);
      return decision;
    },

    async checkBatch(requests) {
      const started = performance.now();
      const lookups = requests.map(applicableOf);
      const applicable = lookups.some((entry) => entry instanceof Promise)
        ? await Promise.all(lookups)
        : (lookups as Applicable[]);
      const decisions = await decide(requests, applicable);
      // Each check of the batch waited for the whole batch: that is its duration.
      const seconds = (performance.now() - started) / 1000;
      for (const [index, decision] of decisions.entries()) {
        const limits = applicable[index];
        observe(outcomeOf(limits, decision), seconds, limits !== undefined && limits.budgets.length > 0);
      }
      return decisions;
    },
  };
}

function outcomeOf(applicable: Applicable | undefined, decision: QuotaDecision) {
  if (applicable === undefined || (applicable.rules.length === 0 && applicable.budgets.length === 0)) return "no_rules";
  if (decision === RATE_LIMITER_UNAVAILABLE) return "fail_closed";
  if (decision === FAIL_OPEN) return "fail_open";
  return decision.allowed ? "allowed" : "denied";
}

export function registerQuotaCheck(deps: QuotaCheckDeps): void {
  const checker = createQuotaChecker(deps);
  deps.bus.serve(QuotaCheck, checker.check);
  deps.bus.serve(QuotaCheckBatch, async ({ checks }) => ({ decisions: await checker.checkBatch(checks) }));
}
