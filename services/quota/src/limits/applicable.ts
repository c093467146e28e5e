/** Which of the subjects' rules and budgets apply right now to a request on one surface. */
import type { QuotaSubject, QuotaSurface } from "@thinkwatch/proto";
import type { BudgetApplication, RuleApplication } from "../engine/labels.js";
import type { LimitCache } from "./limit-cache.js";
import type { SubjectLimits } from "./limit-store.js";

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
  let all: Array<{ subject: QuotaSubject; limits: SubjectLimits }> = [];
  for (const subject of subjects) {
    const limits = cache.peek(subject);
    if (limits === undefined) {
      // Some limits are not loaded yet (or expired): load them all, concurrent first uses sharing one load.
      all = await Promise.all(subjects.map(async (each) => ({ subject: each, limits: await cache.limitsOf(each) })));
      break;
    }
    all.push({ subject, limits });
  }
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
