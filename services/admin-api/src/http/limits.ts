/**
 * /api/admin/limits: rate-limit rules and budget caps per subject (`/{kind}/{id}/rules|budgets|usage`), the list of
 * subjects that have any, and bulk replacement over many subjects. quota owns the data; this is its console face.
 */
import {
  BulkLimitsBodySchema,
  LimitSubjectParamsSchema,
  ReplaceBudgetsBodySchema,
  ReplaceRulesBodySchema,
} from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import {
  limitIssues,
  QuotaBudgetsList,
  QuotaBudgetsSet,
  QuotaRulesList,
  QuotaRulesSet,
  type QuotaSubject,
  QuotaSubjectsList,
  QuotaUsage,
} from "@thinkwatch/proto";
import type { Context } from "hono";
import type { AdminDeps } from "../deps.js";
import type { ConsoleEnv, ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";

const subjectOf = (c: Context<ConsoleEnv>): QuotaSubject =>
  validate(LimitSubjectParamsSchema, { kind: c.req.param("kind"), id: c.req.param("id") });

export function registerLimitRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  const audit = (c: Context<ConsoleEnv>, action: string, subject: QuotaSubject, before: unknown, after: unknown) =>
    deps.audit.record({
      category: "admin",
      action,
      actor: requestActor(c),
      target: { kind: subject.kind, id: subject.id, name: null },
      before,
      after,
      requestId: c.get("requestId"),
    });

  const replaceRules = async (c: Context<ConsoleEnv>, subject: QuotaSubject, rules: unknown[]) => {
    const before = await deps.bus.request(QuotaRulesList, { subject }, { trace: c.get("trace") });
    const after = await deps.bus.request(QuotaRulesSet, { subject, rules: rules as never }, { trace: c.get("trace") });
    audit(c, "rate_limit_rules.replaced", subject, before.rules, after.rules);
    return after;
  };
  const replaceBudgets = async (c: Context<ConsoleEnv>, subject: QuotaSubject, budgets: unknown[]) => {
    const before = await deps.bus.request(QuotaBudgetsList, { subject }, { trace: c.get("trace") });
    const after = await deps.bus.request(QuotaBudgetsSet, { subject, budgets: budgets as never }, { trace: c.get("trace") });
    audit(c, "budget_caps.replaced", subject, before.budgets, after.budgets);
    return after;
  };

  router.route("GET", "/api/admin/limits", "limits:read", async (c) =>
    c.json(await deps.bus.request(QuotaSubjectsList, {}, { trace: c.get("trace") })),
  );

  router.route("GET", "/api/admin/limits/:kind/:id/rules", "limits:read", async (c) =>
    c.json(await deps.bus.request(QuotaRulesList, { subject: subjectOf(c) }, { trace: c.get("trace") })),
  );

  router.route("PUT", "/api/admin/limits/:kind/:id/rules", "limits:write", { body: ReplaceRulesBodySchema }, async (c) => {
    const subject = subjectOf(c);
    const body = await readRouteBody(c, ReplaceRulesBodySchema);
    return c.json(await replaceRules(c, subject, body.rules));
  });

  router.route("GET", "/api/admin/limits/:kind/:id/budgets", "limits:read", async (c) =>
    c.json(await deps.bus.request(QuotaBudgetsList, { subject: subjectOf(c) }, { trace: c.get("trace") })),
  );

  router.route("PUT", "/api/admin/limits/:kind/:id/budgets", "limits:write", { body: ReplaceBudgetsBodySchema }, async (c) => {
    const subject = subjectOf(c);
    const body = await readRouteBody(c, ReplaceBudgetsBodySchema);
    return c.json(await replaceBudgets(c, subject, body.budgets));
  });

  router.route("GET", "/api/admin/limits/:kind/:id/usage", "limits:read", async (c) => {
    const subject = subjectOf(c);
    const [usage] = (await deps.bus.request(QuotaUsage, { subjects: [subject] }, { trace: c.get("trace") })).subjects;
    return c.json({ subject, rules: usage?.rules ?? [], budgets: usage?.budgets ?? [] });
  });

  router.route("PUT", "/api/admin/limits/bulk", "limits:write", { body: BulkLimitsBodySchema }, async (c) => {
    const body = await readRouteBody(c, BulkLimitsBodySchema);
    // All or nothing at the door: a body wrong for any subject changes none of them.
    const fields: Record<string, string> = {};
    body.subjects.forEach((subject, index) => {
      for (const [path, message] of Object.entries(limitIssues(subject, body.rules, body.budgets))) {
        fields[path.startsWith("rules") || path.startsWith("budgets") ? path : `subjects.${index}.${path}`] ??=
          `${subject.kind} ${subject.id}: ${message}`;
      }
    });
    if (Object.keys(fields).length > 0) {
      const summary = Object.entries(fields)
        .map(([path, message]) => `${path}: ${message}`)
        .join("; ");
      throw new AppError("validation_failed", `invalid request: ${summary}`, { details: { fields } });
    }
    const results = [];
    // One subject after another: each replacement is its own transaction in quota, and is audited on its own.
    for (const subject of body.subjects) {
      const rules = body.rules === undefined ? undefined : (await replaceRules(c, subject, body.rules)).rules;
      const budgets = body.budgets === undefined ? undefined : (await replaceBudgets(c, subject, body.budgets)).budgets;
      results.push({ subject, ...(rules === undefined ? {} : { rules }), ...(budgets === undefined ? {} : { budgets }) });
    }
    return c.json({ results });
  });
}
