/** rate_limit_rules and budget_caps in PostgreSQL: the limits of one subject, read and replaced as a whole. */
import { type Database, tables } from "@thinkwatch/db";
import type { BudgetCap, QuotaSubject, RateLimitRule } from "@thinkwatch/proto";
import { and, asc, eq, sql } from "drizzle-orm";

export interface SubjectLimits {
  rules: RateLimitRule[];
  budgets: BudgetCap[];
}

export interface SubjectSummary {
  subject: QuotaSubject;
  rules: number;
  budgets: number;
  surfaces: Array<"ai_gateway" | "mcp_gateway">;
  /** Has a limit counted in tokens or USD (an AI token rule, a budget): its requests need their prompt estimated. */
  metered: boolean;
}

export interface LimitStore {
  limitsOf(subject: QuotaSubject): Promise<SubjectLimits>;
  replaceRules(subject: QuotaSubject, rules: RateLimitRule[]): Promise<RateLimitRule[]>;
  replaceBudgets(subject: QuotaSubject, budgets: BudgetCap[]): Promise<BudgetCap[]>;
  /** Every subject with an enabled rule or budget, and what it has. */
  summaries(): Promise<SubjectSummary[]>;
  /** Run `work` holding a lock shared by every quota replica (serializes rule-index publishes). */
  withIndexLock<T>(work: () => Promise<T>): Promise<T>;
}

const INDEX_LOCK = 0x71756f74; // "quot"

export function createPostgresLimitStore(db: Database): LimitStore {
  const { rateLimitRules, budgetCaps } = tables;
  const ruleSubject = (subject: QuotaSubject) =>
    and(eq(rateLimitRules.subjectKind, subject.kind), eq(rateLimitRules.subjectId, subject.id));
  const budgetSubject = (subject: QuotaSubject) =>
    and(eq(budgetCaps.subjectKind, subject.kind), eq(budgetCaps.subjectId, subject.id));

  const readRules = async (executor: Pick<Database, "select">, subject: QuotaSubject): Promise<RateLimitRule[]> => {
    const rows = await executor
      .select()
      .from(rateLimitRules)
      .where(ruleSubject(subject))
      .orderBy(asc(rateLimitRules.surface), asc(rateLimitRules.metric), asc(rateLimitRules.windowSeconds));
    return rows.map((row) => ({
      surface: row.surface as RateLimitRule["surface"],
      metric: row.metric as RateLimitRule["metric"],
      windowSeconds: row.windowSeconds,
      limit: row.maxCount,
      enabled: row.enabled,
      expiresAt: row.expiresAt === null ? null : row.expiresAt.getTime(),
      reason: row.reason,
    }));
  };

  const readBudgets = async (executor: Pick<Database, "select">, subject: QuotaSubject): Promise<BudgetCap[]> => {
    const rows = await executor
      .select()
      .from(budgetCaps)
      .where(budgetSubject(subject))
      .orderBy(asc(budgetCaps.period), asc(budgetCaps.unit));
    return rows.map((row) => ({
      period: row.period as BudgetCap["period"],
      unit: row.unit as BudgetCap["unit"],
      limit: row.limitValue,
      timezone: row.timezone,
      enabled: row.enabled,
      expiresAt: row.expiresAt === null ? null : row.expiresAt.getTime(),
      reason: row.reason,
    }));
  };

  const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));

  return {
    async limitsOf(subject) {
      const [rules, budgets] = await Promise.all([readRules(db, subject), readBudgets(db, subject)]);
      return { rules, budgets };
    },
    replaceRules: (subject, rules) =>
      db.transaction(async (tx) => {
        await tx.delete(rateLimitRules).where(ruleSubject(subject));
        if (rules.length > 0) {
          await tx.insert(rateLimitRules).values(
            rules.map((rule) => ({
              subjectKind: subject.kind,
              subjectId: subject.id,
              surface: rule.surface,
              metric: rule.metric,
              windowSeconds: rule.windowSeconds,
              maxCount: rule.limit,
              enabled: rule.enabled,
              expiresAt: toDate(rule.expiresAt),
              reason: rule.reason,
            })),
          );
        }
        return readRules(tx, subject);
      }),
    replaceBudgets: (subject, budgets) =>
      db.transaction(async (tx) => {
        await tx.delete(budgetCaps).where(budgetSubject(subject));
        if (budgets.length > 0) {
          await tx.insert(budgetCaps).values(
            budgets.map((budget) => ({
              subjectKind: subject.kind,
              subjectId: subject.id,
              period: budget.period,
              unit: budget.unit,
              limitValue: budget.limit,
              timezone: budget.timezone,
              enabled: budget.enabled,
              expiresAt: toDate(budget.expiresAt),
              reason: budget.reason,
            })),
          );
        }
        return readBudgets(tx, subject);
      }),
    async summaries() {
      const ruleRows = await db
        .select({
          kind: rateLimitRules.subjectKind,
          id: rateLimitRules.subjectId,
          surface: rateLimitRules.surface,
          metric: rateLimitRules.metric,
          count: sql<number>`count(*)::int`,
        })
        .from(rateLimitRules)
        .where(eq(rateLimitRules.enabled, true))
        .groupBy(rateLimitRules.subjectKind, rateLimitRules.subjectId, rateLimitRules.surface, rateLimitRules.metric);
      const budgetRows = await db
        .select({ kind: budgetCaps.subjectKind, id: budgetCaps.subjectId, count: sql<number>`count(*)::int` })
        .from(budgetCaps)
        .where(eq(budgetCaps.enabled, true))
        .groupBy(budgetCaps.subjectKind, budgetCaps.subjectId);
      const byKey = new Map<string, SubjectSummary>();
      const entry = (kind: string, id: string) => {
        const key = `${kind}:${id}`;
        let found = byKey.get(key);
        if (found === undefined) {
          found = { subject: { kind: kind as QuotaSubject["kind"], id }, rules: 0, budgets: 0, surfaces: [], metered: false };
          byKey.set(key, found);
        }
        return found;
      };
      for (const row of ruleRows) {
        const found = entry(row.kind, row.id);
        found.rules += row.count;
        const surface = row.surface as SubjectSummary["surfaces"][number];
        if (!found.surfaces.includes(surface)) found.surfaces.push(surface);
        if (surface === "ai_gateway" && row.metric === "tokens") found.metered = true;
      }
      // Budgets count AI spend only.
      for (const row of budgetRows) {
        const found = entry(row.kind, row.id);
        found.budgets += row.count;
        found.metered = true;
        if (!found.surfaces.includes("ai_gateway")) found.surfaces.push("ai_gateway");
      }
      return [...byKey.values()].sort((a, b) =>
        `${a.subject.kind}:${a.subject.id}`.localeCompare(`${b.subject.kind}:${b.subject.id}`),
      );
    },
    withIndexLock: (work) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${INDEX_LOCK})`);
        return work();
      }),
  };
}
