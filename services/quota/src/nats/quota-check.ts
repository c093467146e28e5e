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

export function createQuotaChecker(deps: QuotaCheckDeps): (request: QuotaCheckRequest) => Promise<QuotaDecision> {
  let lastWarnAt = 0;
  let suppressed = 0;
  return async (request) => {
    const applicable = await applicableLimits(deps.cache, request.subjects, request.surface, deps.clock(), "check");
    if (applicable.rules.length === 0 && applicable.budgets.length === 0) return { allowed: true };
    try {
      return await deps.engine.check({ ...applicable, reservation: request.reservation });
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
