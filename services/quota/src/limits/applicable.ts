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
  const cached = cachedApplicable(cache, subjects, surface, now, purpose);
  if (cached !== undefined) return cached;
  // Some limits are not loaded yet (or expired): load them all, concurrent first uses sharing one load.
  const all = await Promise.all(subjects.map(async (subject) => ({ subject, limits: await cache.limitsOf(subject) })));
  const found: Applicable = { rules: [], budgets: [] };
  for (const { subject, limits } of all) collect(found, subject, limits, surface, now, purpose);
  return found;
}

/**
 * The same answer at once, with no promise, when every subject's limits are cached (what almost every check and
 * settlement finds); undefined when some must be loaded first.
 */
export function cachedApplicable(
  cache: LimitCache,
  subjects: readonly QuotaSubject[],
  surface: QuotaSurface,
  now: number,
  purpose: "check" | "settle",
): Applicable | undefined {
  const found: Applicable = { rules: [], budgets: [] };
  for (const subject of subjects) {
    const limits = cache.peek(subject);
    if (limits === undefined) return undefined;
    collect(found, subject, limits, surface, now, purpose);
  }
  return found;
}

function collect(
  found: Applicable,
  subject: QuotaSubject,
  limits: SubjectLimits,
  surface: QuotaSurface,
  now: number,
  purpose: "check" | "settle",
): void {
  for (const rule of limits.rules) {
    if (rule.surface !== surface || !live(rule, now)) continue;
    if (purpose === "settle" && rule.metric !== "tokens") continue;
    found.rules.push({ subject, rule });
  }
  if (surface !== "ai_gateway") return;
  for (const budget of limits.budgets) if (live(budget, now)) found.budgets.push({ subject, budget });
}
