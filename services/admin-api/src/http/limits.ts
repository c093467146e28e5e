/** /api/admin/limits/{kind}/{id}/rules: read and replace the rate-limit rules of one subject, via quota on NATS. */
import { type AppEnv, readValidatedJson, validate } from "@thinkwatch/http";
import { QuotaRulesList, QuotaRulesSet, QuotaSubjectKindSchema, RateLimitRuleSchema } from "@thinkwatch/proto";
import type { Hono } from "hono";
import * as v from "valibot";
import { type ConsoleEnv, requireUser } from "../auth/require-user.js";
import type { AdminDeps } from "../deps.js";

const SubjectSchema = v.object({ kind: QuotaSubjectKindSchema, id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) });
const ReplaceRulesSchema = v.object({ rules: v.array(RateLimitRuleSchema) });

export function registerLimitRoutes(root: Hono<AppEnv>, deps: AdminDeps): void {
  const app = root as unknown as Hono<ConsoleEnv>;
  const admin = requireUser(deps.tokens, "admin");

  app.get("/api/admin/limits/:kind/:id/rules", admin, async (c) => {
    const subject = validate(SubjectSchema, { kind: c.req.param("kind"), id: c.req.param("id") });
    return c.json(await deps.bus.request(QuotaRulesList, { subject }));
  });

  app.put("/api/admin/limits/:kind/:id/rules", admin, async (c) => {
    const subject = validate(SubjectSchema, { kind: c.req.param("kind"), id: c.req.param("id") });
    const body = await readValidatedJson(c, ReplaceRulesSchema);
    return c.json(await deps.bus.request(QuotaRulesSet, { subject, rules: body.rules }));
  });
}
