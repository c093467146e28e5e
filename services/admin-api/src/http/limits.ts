/** /api/admin/limits/{kind}/{id}/rules: read and replace the rate-limit rules of one subject, via quota on NATS. */
import { readValidatedJson, validate } from "@thinkwatch/http";
import { QuotaRulesList, QuotaRulesSet, QuotaSubjectKindSchema, RateLimitRuleSchema } from "@thinkwatch/proto";
import * as v from "valibot";
import type { AdminDeps } from "../deps.js";
import type { ConsoleRouter } from "./console-router.js";

const SubjectSchema = v.object({ kind: QuotaSubjectKindSchema, id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) });
const ReplaceRulesSchema = v.object({ rules: v.array(RateLimitRuleSchema) });

export function registerLimitRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/admin/limits/:kind/:id/rules", "limits:read", async (c) => {
    const subject = validate(SubjectSchema, { kind: c.req.param("kind"), id: c.req.param("id") });
    return c.json(await deps.bus.request(QuotaRulesList, { subject }));
  });

  router.route("PUT", "/api/admin/limits/:kind/:id/rules", "limits:write", async (c) => {
    const subject = validate(SubjectSchema, { kind: c.req.param("kind"), id: c.req.param("id") });
    const body = await readValidatedJson(c, ReplaceRulesSchema);
    return c.json(await deps.bus.request(QuotaRulesSet, { subject, rules: body.rules }));
  });
}
