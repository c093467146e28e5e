/**
 * What the schemas cannot say about a subject's limits: one rule per surface/metric/window and one budget per
 * period/unit; provider limits are AI-only, MCP server limits MCP-only (and an MCP server has no token cost, so no
 * budget). Errors name the offending field, like schema errors do.
 */
import { AppError } from "@thinkwatch/errors";
import type { BudgetCap, QuotaSubject, RateLimitRule } from "@thinkwatch/proto";

function fail(fields: Record<string, string>): never {
  const summary = Object.entries(fields)
    .map(([path, message]) => `${path}: ${message}`)
    .join("; ");
  throw new AppError("validation_failed", `invalid request: ${summary}`, { details: { fields } });
}

export function checkRules(subject: QuotaSubject, rules: RateLimitRule[]): void {
  const fields: Record<string, string> = {};
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    const key = `${rule.surface}/${rule.metric}/${rule.windowSeconds}`;
    if (seen.has(key)) fields[`rules.${index}`] ??= `two rules for ${key}; keep one rule per surface, metric and window`;
    seen.add(key);
    if (subject.kind === "provider" && rule.surface !== "ai_gateway")
      fields[`rules.${index}.surface`] ??= "provider rules apply to the AI gateway only (ai_gateway)";
    if (subject.kind === "mcp_server" && rule.surface !== "mcp_gateway")
      fields[`rules.${index}.surface`] ??= "MCP server rules apply to the MCP gateway only (mcp_gateway)";
  });
  if (Object.keys(fields).length > 0) fail(fields);
}

export function checkBudgets(subject: QuotaSubject, budgets: BudgetCap[]): void {
  const fields: Record<string, string> = {};
  if (subject.kind === "mcp_server" && budgets.length > 0) {
    fields.budgets = "MCP servers have no token cost, so they take rate limits, not budgets";
  }
  const seen = new Set<string>();
  budgets.forEach((budget, index) => {
    const key = `${budget.period}/${budget.unit}`;
    if (seen.has(key)) fields[`budgets.${index}`] ??= `two ${budget.period} budgets in ${budget.unit}; keep one`;
    seen.add(key);
  });
  if (Object.keys(fields).length > 0) fail(fields);
}
