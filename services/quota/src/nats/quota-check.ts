/**
 * quota.v1.check and quota.v1.check_batch: the pre-flight decision of gateway requests. Resolves every live rule and
 * budget of every subject of a request and runs them through the engine in one atomic call; a batch's calls travel
 * to Redis in one pipelined round trip. When Redis cannot be
 * asked, `security.rateLimitFailClosed` decides: let the request through (default) or refuse it.
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
import type { QuotaEngine } from "../engine/quota-engine.js";
import { applicableLimits } from "../limits/applicable.js";
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
  /** Decisions in order; every check that reaches Redis goes in one pipelined round trip, each still atomic. */
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
  const applicableOf = (request: QuotaCheckRequest) =>
    applicableLimits(deps.cache, request.subjects, request.surface, deps.clock(), "check");

  return {
    async check(request) {
      const started = performance.now();
      const applicable = await applicableOf(request);
      let decision: QuotaDecision;
      if (applicable.rules.length === 0 && applicable.budgets.length === 0) decision = { allowed: true };
      else {
        try {
          decision = await deps.engine.check({ ...applicable, reservation: request.reservation });
        } catch (caught) {
          decision = failPolicy(caught, 1);
        }
      }
      observe(outcomeOf(applicable, decision), (performance.now() - started) / 1000);
      return decision;
    },

    async checkBatch(requests) {
      const started = performance.now();
      const applicable = await Promise.all(requests.map(applicableOf));
      const inputs = applicable.map((limits, index) => ({ ...limits, reservation: requests[index]?.reservation }));
      let decisions: QuotaDecision[];
      try {
        const outcomes = await deps.engine.checkMany(inputs);
        decisions = outcomes.map((outcome) => (outcome instanceof AppError ? failPolicy(outcome, 1) : outcome));
      } catch (caught) {
        const decision = failPolicy(caught, requests.length);
        decisions = requests.map(() => decision);
      }
      // Each check of the batch waited for the whole batch: that is its duration.
      const seconds = (performance.now() - started) / 1000;
      for (const [index, decision] of decisions.entries()) observe(outcomeOf(applicable[index], decision), seconds);
      return decisions;
    },
  };
}

type Applicable = Awaited<ReturnType<typeof applicableLimits>>;

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
