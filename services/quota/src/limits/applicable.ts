/** Which of the subjects' rules and budgets apply right now to a request on one surface. */
import type { QuotaSubject, QuotaSurface } from "@thinkwatch/proto";
import type { BudgetApplication, RuleApplication } from "../engine/labels.js";
import type { LimitCache } from "./limit-cache.js";

export interface Applicable {
  rules: RuleApplication[];
  budgets: BudgetApplication[];
}

const live = (item: { enabled: boolean; expiresAt: number | null }, now: number) =>
  item.enabled && (item.expiresAt === null || item.expiresAt > now);

/**
 * `check`: every live rule of the surface and (AI only: MCP has no token cost) every live budget.
 * `settle`: what post-flight accounting counts — token rules and budgets of the AI surface.
 */
export async function applicableLimits(
  cache: LimitCache,
  subjects: QuotaSubject[],
  surface: QuotaSurface,
  now: number,
  purpose: "check" | "settle",
): Promise<Applicable> {
  const all = await Promise.all(subjects.map(async (subject) => ({ subject, limits: await cache.limitsOf(subject) })));
  const rules: RuleApplication[] = [];
  const budgets: BudgetApplication[] = [];
  for (const { subject, limits } of all) {
    for (const rule of limits.rules) {
      if (rule.surface !== surface || !live(rule, now)) continue;
      if (purpose === "settle" && rule.metric !== "tokens") continue;
      rules.push({ subject, rule });
    }
    if (surface !== "ai_gateway") continue;
    for (const budget of limits.budgets) if (live(budget, now)) budgets.push({ subject, budget });
  }
  return { rules, budgets };
}
