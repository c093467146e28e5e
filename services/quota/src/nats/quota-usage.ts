/** quota.v1.usage: "X / Y used" for every rule and budget of some subjects (console Limits page, GET /v1/usage). */
import type { Bus } from "@thinkwatch/bus";
import { QuotaUsage, type SubjectUsage } from "@thinkwatch/proto";
import type { QuotaEngine } from "../engine/quota-engine.js";
import type { LimitCache } from "../limits/limit-cache.js";

export function registerQuotaUsage(bus: Bus, cache: LimitCache, engine: QuotaEngine): void {
  bus.serve(QuotaUsage, async ({ subjects }) => ({
    subjects: await Promise.all(
      subjects.map(async (subject): Promise<SubjectUsage> => {
        const limits = await cache.limitsOf(subject);
        const usage = await engine.usage(
          limits.rules.map((rule) => ({ subject, rule })),
          limits.budgets.map((budget) => ({ subject, budget })),
        );
        return {
          subject,
          rules: usage.rules.map((u) => ({
            label: u.label,
            rule: u.application.rule,
            used: u.used,
            remaining: u.remaining,
            resetSeconds: u.resetSeconds,
          })),
          budgets: usage.budgets.map((u) => ({
            label: u.label,
            budget: u.application.budget,
            used: u.used,
            reserved: u.reserved,
            remaining: u.remaining,
            periodStart: u.periodStart,
            periodEnd: u.periodEnd,
          })),
        };
      }),
    ),
  }));
}
