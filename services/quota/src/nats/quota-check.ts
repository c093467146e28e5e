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

export interface QuotaCheckDeps {
  bus: Bus;
  cache: LimitCache;
  engine: QuotaEngine;
  settings: SettingsHolder;
  clock: () => number;
  log: Logger;
}

/** While Redis is down every request fails the same way: say so once per interval, not once per request. */
const WARN_INTERVAL_MS = 10_000;

export interface QuotaChecker {
  check(request: QuotaCheckRequest): Promise<QuotaDecision>;
  /** Decisions in order; every check that reaches Redis goes in one pipelined round trip, each still atomic. */
  checkBatch(requests: QuotaCheckRequest[]): Promise<QuotaDecision[]>;
}

export function createQuotaChecker(deps: QuotaCheckDeps): QuotaChecker {
  let lastWarnAt = 0;
  let suppressed = 0;
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
    return failClosed ? RATE_LIMITER_UNAVAILABLE : { allowed: true };
  };
  const applicableOf = (request: QuotaCheckRequest) =>
    applicableLimits(deps.cache, request.subjects, request.surface, deps.clock(), "check");

  return {
    async check(request) {
      const applicable = await applicableOf(request);
      if (applicable.rules.length === 0 && applicable.budgets.length === 0) return { allowed: true };
      try {
        return await deps.engine.check({ ...applicable, reservation: request.reservation });
      } catch (caught) {
        return failPolicy(caught, 1);
      }
    },

    async checkBatch(requests) {
      const applicable = await Promise.all(requests.map(applicableOf));
      const inputs = applicable.map((limits, index) => ({ ...limits, reservation: requests[index]?.reservation }));
      let outcomes: Array<QuotaDecision | AppError>;
      try {
        outcomes = await deps.engine.checkMany(inputs);
      } catch (caught) {
        const decision = failPolicy(caught, requests.length);
        return requests.map(() => decision);
      }
      return outcomes.map((outcome) => (outcome instanceof AppError ? failPolicy(outcome, 1) : outcome));
    },
  };
}

export function registerQuotaCheck(deps: QuotaCheckDeps): void {
  const checker = createQuotaChecker(deps);
  deps.bus.serve(QuotaCheck, checker.check);
  deps.bus.serve(QuotaCheckBatch, async ({ checks }) => ({ decisions: await checker.checkBatch(checks) }));
}
