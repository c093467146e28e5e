/**
 * The rules and budgets editors' values and schemas (the forms' resolvers): inputs stay text while typed, and every
 * problem is shown next to its input before anything is sent; the API's own field errors land in the same places.
 */
import type { BudgetCap, BudgetCapInput, RateLimitRuleInput } from "@thinkwatch/console-api";
import * as v from "valibot";
import type { LimitUsageResponse } from "./limits-api";

export const WINDOW_CHOICES = [
  { value: "60", label: "1 minute" },
  { value: "300", label: "5 minutes" },
  { value: "3600", label: "1 hour" },
  { value: "18000", label: "5 hours" },
  { value: "86400", label: "1 day" },
  { value: "604800", label: "1 week" },
] as const;

export interface RuleRow {
  surface: "ai_gateway" | "mcp_gateway";
  metric: "requests" | "tokens";
  windowSeconds: string;
  limit: string;
  enabled: boolean;
  reason: string;
}

export interface BudgetRow {
  period: BudgetCap["period"];
  unit: BudgetCap["unit"];
  limit: string;
  timezone: string;
  enabled: boolean;
  reason: string;
}

const wholeNumber = v.pipe(
  v.string(),
  v.trim(),
  v.check((text) => /^\d+$/.test(text), "limit must be a whole number ≥ 0"),
);
const amount = v.pipe(
  v.string(),
  v.trim(),
  v.check((text) => /^\d+(\.\d+)?$/.test(text), "limit must be a number ≥ 0"),
);

/** Tool calls carry no tokens: an MCP gateway rule counts requests (the API says the same, under the same field). */
export const MCP_TOKENS_MESSAGE = "MCP gateway rules count tool calls (requests); tool calls have no tokens";

export const RulesFormSchema = v.pipe(
  v.object({
    rules: v.array(
      v.pipe(
        v.object({
          surface: v.picklist(["ai_gateway", "mcp_gateway"]),
          metric: v.picklist(["requests", "tokens"]),
          windowSeconds: v.pipe(
            v.string(),
            v.check((text) => WINDOW_CHOICES.some((c) => c.value === text), "window must be 1m, 5m, 1h, 5h, 1d or 1w"),
          ),
          limit: wholeNumber,
          enabled: v.boolean(),
          reason: v.pipe(v.string(), v.maxLength(500, "reason is at most 500 characters")),
        }),
        v.forward(
          v.partialCheck(
            [["surface"], ["metric"]],
            (row) => !(row.surface === "mcp_gateway" && row.metric === "tokens"),
            MCP_TOKENS_MESSAGE,
          ),
          ["metric"],
        ),
      ),
    ),
  }),
  v.transform(({ rules }): RateLimitRuleInput[] =>
    rules.map((row) => ({
      surface: row.surface,
      metric: row.metric,
      windowSeconds: Number(row.windowSeconds),
      limit: Number(row.limit),
      enabled: row.enabled,
      reason: row.reason.trim() === "" ? null : row.reason.trim(),
    })),
  ),
);

export const BudgetsFormSchema = v.pipe(
  v.object({
    budgets: v.array(
      v.object({
        period: v.picklist(["daily", "weekly", "monthly"]),
        unit: v.picklist(["tokens", "usd"]),
        limit: amount,
        timezone: v.pipe(v.string(), v.trim(), v.minLength(1, "timezone is required (UTC, Europe/Berlin, …)")),
        enabled: v.boolean(),
        reason: v.pipe(v.string(), v.maxLength(500, "reason is at most 500 characters")),
      }),
    ),
  }),
  v.transform(({ budgets }): BudgetCapInput[] =>
    budgets.map((row) => ({
      period: row.period,
      unit: row.unit,
      limit: Number(row.limit),
      timezone: row.timezone,
      enabled: row.enabled,
      reason: row.reason.trim() === "" ? null : row.reason.trim(),
    })),
  ),
);

/** A new rule row; an MCP server's rules can only be on the MCP gateway, so its new rows start there. */
export const emptyRule = (kind?: string): RuleRow => ({
  surface: kind === "mcp_server" ? "mcp_gateway" : "ai_gateway",
  metric: "requests",
  windowSeconds: "60",
  limit: "",
  enabled: true,
  reason: "",
});

export const emptyBudget = (): BudgetRow => ({
  period: "monthly",
  unit: "tokens",
  limit: "",
  timezone: "UTC",
  enabled: true,
  reason: "",
});

export function rulesFormOf(usage: LimitUsageResponse | undefined): { rules: RuleRow[] } {
  return {
    rules: (usage?.rules ?? []).map(({ rule }) => ({
      surface: rule.surface,
      metric: rule.metric,
      windowSeconds: String(rule.windowSeconds),
      limit: String(rule.limit),
      enabled: rule.enabled,
      reason: rule.reason ?? "",
    })),
  };
}

export function budgetsFormOf(usage: LimitUsageResponse | undefined): { budgets: BudgetRow[] } {
  return {
    budgets: (usage?.budgets ?? []).map(({ budget }) => ({
      period: budget.period,
      unit: budget.unit,
      limit: String(budget.limit),
      timezone: budget.timezone,
      enabled: budget.enabled,
      reason: budget.reason ?? "",
    })),
  };
}
