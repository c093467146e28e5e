/**
 * Converting between reasoning effort levels (OpenAI, Anthropic `output_config.effort`, Gemini `thinkingLevel`) and
 * thinking budgets in tokens (Anthropic `budget_tokens`, Gemini `thinkingBudget`). The numbers are a documented
 * convention, not a vendor equivalence: budgets roughly double per level, and a budget maps back to the level whose
 * band contains it.
 */
import type { ReasoningEffort } from "./request.js";

const BUDGET_BY_EFFORT: Record<Exclude<ReasoningEffort, "none">, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
  max: 65536,
};

/** Anthropic refuses thinking budgets below this. */
export const MIN_ANTHROPIC_THINKING_BUDGET = 1024;

export function budgetForEffort(effort: ReasoningEffort | undefined): number {
  if (effort === undefined || effort === "none") return BUDGET_BY_EFFORT.medium;
  return BUDGET_BY_EFFORT[effort];
}

/** The OpenAI effort for a budget: below 4k low, below 12k medium, above high (OpenAI's universal levels). */
export function effortForBudget(budget: number): "low" | "medium" | "high" {
  if (budget < 4096) return "low";
  if (budget < 12288) return "medium";
  return "high";
}

/**
 * Anthropic-style thinking (Anthropic, Claude on Bedrock): budget_tokens counts toward max_tokens and must stay
 * below it. Budgets below Anthropic's minimum are raised to it; a client-set limit caps the budget, a defaulted limit
 * grows by the budget instead. Undefined when the client's limit leaves no room for the minimum budget.
 */
export function fitThinkingBudget(
  budget: number,
  maxTokens: number,
  maxTokensDefaulted: boolean,
): { budget: number; maxTokens: number } | undefined {
  const raised = Math.max(budget, MIN_ANTHROPIC_THINKING_BUDGET);
  if (maxTokensDefaulted) return { budget: raised, maxTokens: maxTokens + raised };
  const capped = Math.min(raised, maxTokens - 1);
  return capped < MIN_ANTHROPIC_THINKING_BUDGET ? undefined : { budget: capped, maxTokens };
}
