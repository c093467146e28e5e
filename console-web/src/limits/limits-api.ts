/** /api/admin/limits: rate-limit rules and budget caps per subject, and their usage. */
import type {
  BudgetCap,
  BudgetCapInput,
  LimitSubjectParams,
  LimitSubjectsResponse,
  LimitUsageResponse,
  RateLimitRuleInput,
} from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { BudgetCap, LimitSubjectParams, LimitUsageResponse } from "@thinkwatch/console-api";

const base = (subject: LimitSubjectParams) =>
  `/api/admin/limits/${encodeURIComponent(subject.kind)}/${encodeURIComponent(subject.id)}`;

export async function listLimitSubjects(api: ApiClient): Promise<LimitSubjectsResponse["subjects"]> {
  return (await api.get<LimitSubjectsResponse>("/api/admin/limits")).subjects;
}

export function subjectUsage(api: ApiClient, subject: LimitSubjectParams): Promise<LimitUsageResponse> {
  return api.get<LimitUsageResponse>(`${base(subject)}/usage`);
}

export function replaceRules(api: ApiClient, subject: LimitSubjectParams, rules: RateLimitRuleInput[]) {
  return api.put(`${base(subject)}/rules`, { rules });
}

export function replaceBudgets(api: ApiClient, subject: LimitSubjectParams, budgets: BudgetCapInput[]) {
  return api.put<{ budgets: BudgetCap[] }>(`${base(subject)}/budgets`, { budgets });
}
