/**
 * quota.v1.check: the one pre-flight call of every gateway request. Resolves every enabled requests-metric rule of
 * every subject on the request's surface and counts the request against all of them at once.
 */
import type { Bus } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { QuotaCheck } from "@thinkwatch/proto";
import { type RateLimiter, type RuleApplication, ruleLabel } from "../limiter/rate-limiter.js";
import type { RuleCache } from "../rules/rule-cache.js";

export function registerQuotaCheck(bus: Bus, rules: RuleCache, limiter: RateLimiter, failOpen: boolean, log: Logger): void {
  bus.serve(QuotaCheck, async (request) => {
    const perSubject = await Promise.all(
      request.subjects.map(async (subject) =>
        (await rules.rulesOf(subject))
          .filter((rule) => rule.enabled && rule.surface === request.surface && rule.metric === "requests")
          .map((rule): RuleApplication => ({ subject, rule })),
      ),
    );
    const applications = perSubject.flat();
    if (applications.length === 0) return { allowed: true };
    try {
      const decision = await limiter.consume(applications, 1);
      if (decision.allowed) return { allowed: true };
      return {
        allowed: false,
        rejectedBy: {
          label: ruleLabel(decision.rejectedBy),
          limit: decision.rejectedBy.rule.limit,
          windowSeconds: decision.rejectedBy.rule.windowSeconds,
          retryAfterSeconds: decision.retryAfterSeconds,
        },
      };
    } catch (caught) {
      log.warn({ err: caught, failOpen, requestId: request.requestId }, "rate limiter unavailable");
      if (failOpen) return { allowed: true };
      return {
        allowed: false,
        rejectedBy: { label: "rate_limiter_unavailable", limit: 0, windowSeconds: 0, retryAfterSeconds: 1 },
      };
    }
  });
}
