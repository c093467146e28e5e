/** rate_limit_rules in PostgreSQL: the rules of one subject, read and replaced as a whole. */
import { type Database, tables } from "@thinkwatch/db";
import type { QuotaSubject, RateLimitRule } from "@thinkwatch/proto";
import { and, asc, eq } from "drizzle-orm";

export interface RuleStore {
  rulesOf(subject: QuotaSubject): Promise<RateLimitRule[]>;
  replaceRules(subject: QuotaSubject, rules: RateLimitRule[]): Promise<RateLimitRule[]>;
}

export function createPostgresRuleStore(db: Database): RuleStore {
  const { rateLimitRules } = tables;
  const whereSubject = (subject: QuotaSubject) =>
    and(eq(rateLimitRules.subjectKind, subject.kind), eq(rateLimitRules.subjectId, subject.id));

  const read = async (executor: Pick<Database, "select">, subject: QuotaSubject): Promise<RateLimitRule[]> => {
    const rows = await executor
      .select()
      .from(rateLimitRules)
      .where(whereSubject(subject))
      .orderBy(asc(rateLimitRules.surface), asc(rateLimitRules.metric), asc(rateLimitRules.windowSeconds));
    return rows.map((row) => ({
      surface: row.surface as RateLimitRule["surface"],
      metric: row.metric as RateLimitRule["metric"],
      windowSeconds: row.windowSeconds,
      limit: row.maxCount,
      enabled: row.enabled,
    }));
  };

  return {
    rulesOf: (subject) => read(db, subject),
    replaceRules: (subject, rules) =>
      db.transaction(async (tx) => {
        await tx.delete(rateLimitRules).where(whereSubject(subject));
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
            })),
          );
        }
        return read(tx, subject);
      }),
  };
}
