/** Query keys and hooks of the limits area. Saving a subject's rules or budgets refreshes every limits query. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { BudgetCapInput, RateLimitRuleInput } from "@thinkwatch/console-api";
import { useApi } from "../api/use-api";
import { type LimitSubjectParams, listLimitSubjects, replaceBudgets, replaceRules, subjectUsage } from "./limits-api";

export const limitKeys = {
  all: ["limits"] as const,
  subjects: () => [...limitKeys.all, "subjects"] as const,
  usage: (subject: LimitSubjectParams) => [...limitKeys.all, "usage", subject.kind, subject.id] as const,
};

export function useLimitSubjects() {
  const api = useApi();
  return useQuery({ queryKey: limitKeys.subjects(), queryFn: () => listLimitSubjects(api) });
}

export function useSubjectUsage(subject: LimitSubjectParams) {
  const api = useApi();
  // Usage moves with traffic: refresh while the page is open.
  return useQuery({ queryKey: limitKeys.usage(subject), queryFn: () => subjectUsage(api, subject), refetchInterval: 10_000 });
}

export function useSaveRules(subject: LimitSubjectParams) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (rules: RateLimitRuleInput[]) => replaceRules(api, subject, rules),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: limitKeys.all }),
  });
}

export function useSaveBudgets(subject: LimitSubjectParams) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (budgets: BudgetCapInput[]) => replaceBudgets(api, subject, budgets),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: limitKeys.all }),
  });
}
