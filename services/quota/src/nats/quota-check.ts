/**
 * quota.v1.check and quota.v1.check_batch: the pre-flight decision of gateway requests. Resolves every live rule and
 * budget of every subject of a request and runs them through the engine in one atomic call. When Redis cannot be
 * asked, `security.rateLimitFailClosed` decides: let the request through (default) or refuse it.
 */
import type { Bus, SettingsHolder } from "@thinkwatch/bus";
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

export function createQuotaChecker(deps: QuotaCheckDeps): (request: QuotaCheckRequest) => Promise<QuotaDecision> {
  let lastWarnAt = 0;
  let suppressed = 0;
  const observe = deps.observe ?? (() => undefined);
  return async (request) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const applicable = await applicableLimits(deps.cache, request.subjects, request.surface, deps.clock(), "check");
    if (applicable.rules.length === 0 && applicable.budgets.length === 0) {
      observe("no_rules", seconds());
      return { allowed: true };
    }
    try {
      const decision = await deps.engine.check({ ...applicable, reservation: request.reservation });
      observe(decision.allowed ? "allowed" : "denied", seconds());
      return decision;
    } catch (caught) {
      const failClosed = deps.settings.current().security.rateLimitFailClosed;
      const now = Date.now();
      if (now - lastWarnAt >= WARN_INTERVAL_MS) {
        deps.log.warn({ err: caught, failClosed, suppressed }, "rate limiter unavailable (Redis); applying the fail policy");
        lastWarnAt = now;
        suppressed = 0;
      } else {
        suppressed += 1;
      }
      observe(failClosed ? "fail_closed" : "fail_open", seconds());
      return failClosed ? RATE_LIMITER_UNAVAILABLE : { allowed: true };
    }
  };
}

export function registerQuotaCheck(deps: QuotaCheckDeps): void {
  const check = createQuotaChecker(deps);
  deps.bus.serve(QuotaCheck, check);
  // Checks of one batch are independent requests: run them concurrently (ioredis pipelines the script calls).
  deps.bus.serve(QuotaCheckBatch, async ({ checks }) => ({ decisions: await Promise.all(checks.map(check)) }));
}
