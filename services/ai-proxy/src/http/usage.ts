/**
 * GET /v1/usage: the caller's own remaining quota — every rule and budget of their key, user and team, "X / Y used",
 * with when each frees up. Nothing about other callers; no quota round trip when no rule or budget applies.
 */
import { toAppError } from "@thinkwatch/errors";
import type { AppEnv } from "@thinkwatch/http";
import { QuotaUsage, WINDOW_LABELS } from "@thinkwatch/proto";
import type { Hono } from "hono";
import { authenticate, quotaSubjects } from "../auth/admit.js";
import type { GatewayDeps } from "../deps.js";
import { errorResponse } from "../pipeline/inbound-api.js";

export function registerUsageRoute(app: Hono<AppEnv>, deps: GatewayDeps): void {
  app.get("/v1/usage", async (c) => {
    try {
      const key = await authenticate(deps, c);
      const subjects = quotaSubjects(key, null);
      const applies = deps.quotaIndex.anyApplies("ai_gateway", subjects) || deps.quotaIndex.anyApplies("mcp_gateway", subjects);
      const usage = applies ? (await deps.bus.request(QuotaUsage, { subjects }, { timeoutMs: 3000 })).subjects : [];
      const now = Date.now();
      return c.json({
        object: "usage",
        subjects: usage
          .filter((entry) => entry.rules.length > 0 || entry.budgets.length > 0)
          .map((entry) => ({
            kind: entry.subject.kind,
            id: entry.subject.id,
            rules: entry.rules.map((r) => ({
              rule: r.label,
              surface: r.rule.surface,
              metric: r.rule.metric,
              window: WINDOW_LABELS[r.rule.windowSeconds] ?? `${r.rule.windowSeconds}s`,
              enabled: r.rule.enabled && (r.rule.expiresAt === null || r.rule.expiresAt > now),
              limit: r.rule.limit,
              used: r.used,
              remaining: r.remaining,
              reset_seconds: r.resetSeconds,
            })),
            budgets: entry.budgets.map((b) => ({
              budget: b.label,
              period: b.budget.period,
              unit: b.budget.unit,
              timezone: b.budget.timezone,
              enabled: b.budget.enabled && (b.budget.expiresAt === null || b.budget.expiresAt > now),
              limit: b.budget.limit,
              used: b.used,
              reserved: b.reserved,
              remaining: b.remaining,
              resets_at: new Date(b.periodEnd).toISOString(),
            })),
          })),
      });
    } catch (caught) {
      return errorResponse("openai_chat", toAppError(caught), c.get("requestId"));
    }
  });
}
