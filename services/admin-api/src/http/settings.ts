/**
 * /api/admin/settings: read every category or one; replace a category (PUT) or change single keys (PATCH). Every
 * key is validated against proto's schema (unknown keys refused, each problem named `<category>.<key>`), the change
 * is audited with before/after and published to the config KV, where every replica of every service picks it up.
 */
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import {
  SETTINGS_CATEGORIES,
  type Settings,
  type SettingsCategory,
  SettingsCategorySchema,
  SettingsSchema,
} from "@thinkwatch/proto";
import * as v from "valibot";
import { ROLES } from "../auth/roles.js";
import type { AdminDeps } from "../deps.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";

const CategoryParam = v.pipe(v.string(), SettingsCategorySchema);

/** The category's schema with unknown keys refused; `partial` for PATCH. */
export function categorySchema(category: SettingsCategory, partial: boolean): v.GenericSchema {
  const entries = (SettingsSchema.entries[category].wrapped as v.ObjectSchema<v.ObjectEntries, undefined>).entries;
  if (!partial) return v.strictObject(entries);
  return v.partial(v.strictObject(Object.fromEntries(Object.entries(entries).map(([key, schema]) => [key, unwrap(schema)]))));
}

/** A setting's own schema without its default, so PATCH validates exactly what was sent. */
function unwrap(schema: v.GenericSchema): v.GenericSchema {
  const optional = schema as v.GenericSchema & { wrapped?: v.GenericSchema };
  return optional.type === "optional" && optional.wrapped !== undefined ? optional.wrapped : schema;
}

/** Rules that need more than one key's schema. */
function crossChecks(settings: Settings): Record<string, string> {
  const problems: Record<string, string> = {};
  const { auth, gateway } = settings;
  if (auth.lockoutMaxSeconds < auth.lockoutBaseSeconds)
    problems["auth.lockoutMaxSeconds"] = "must be at least auth.lockoutBaseSeconds";
  if (!(ROLES as readonly string[]).includes(auth.ssoDefaultRole)) {
    problems["auth.ssoDefaultRole"] = `must be one of ${ROLES.join(", ")}`;
  }
  if (gateway.retryMaxDelayMs < gateway.retryBaseDelayMs)
    problems["gateway.retryMaxDelayMs"] = "must be at least gateway.retryBaseDelayMs";
  return problems;
}

function prefixed(category: string, caught: unknown): never {
  if (caught instanceof AppError && caught.code === "validation_failed") {
    const fields = (caught.details?.fields ?? {}) as Record<string, string>;
    const named = Object.fromEntries(Object.entries(fields).map(([key, message]) => [`${category}.${key}`, message]));
    throw new AppError(
      "validation_failed",
      `invalid settings: ${Object.entries(named)
        .map(([key, message]) => `${key}: ${message}`)
        .join("; ")}`,
      { details: { fields: named } },
    );
  }
  throw caught;
}

export function registerSettingsRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  const save = async (c: Parameters<typeof requestActor>[0], category: SettingsCategory, value: Record<string, unknown>) => {
    const current = await deps.settings.all();
    const next = v.parse(SettingsSchema, { ...current, [category]: value });
    const problems = crossChecks(next);
    if (Object.keys(problems).length > 0) {
      throw new AppError("validation_failed", `invalid settings: ${Object.values(problems).join("; ")}`, {
        details: { fields: problems },
      });
    }
    const { before, after } = await deps.settings.setCategory(category, next[category] as never);
    deps.audit.record({
      category: "admin",
      action: "settings.updated",
      actor: requestActor(c),
      target: { kind: "settings", id: category, name: category },
      before: before[category],
      after: after[category],
      requestId: c.get("requestId"),
    });
    return after;
  };

  router.route("GET", "/api/admin/settings", "settings:read", async (c) => c.json({ settings: await deps.settings.all() }), {
    summary: "Every setting, by category",
    response: v.object({ settings: SettingsSchema }),
  });

  router.route("GET", "/api/admin/settings/:category", "settings:read", async (c) => {
    const category = validate(CategoryParam, c.req.param("category")) as SettingsCategory;
    return c.json({ [category]: (await deps.settings.all())[category] });
  });

  router.route(
    "PUT",
    "/api/admin/settings/:category",
    "settings:write",
    async (c) => {
      const category = validate(CategoryParam, c.req.param("category")) as SettingsCategory;
      const value = await readRouteBody(c, categorySchema(category, false)).catch((caught) => prefixed(category, caught));
      return c.json({ settings: await save(c, category, value as Record<string, unknown>) });
    },
    {
      summary: "Replace one category of settings",
      body: v.union(SETTINGS_CATEGORIES.map((category) => categorySchema(category, false))),
    },
  );

  router.route(
    "PATCH",
    "/api/admin/settings/:category",
    "settings:write",
    async (c) => {
      const category = validate(CategoryParam, c.req.param("category")) as SettingsCategory;
      const changes = await readRouteBody(c, categorySchema(category, true)).catch((caught) => prefixed(category, caught));
      if (Object.keys(changes as object).length === 0) throw new AppError("bad_request", "name at least one setting to change");
      const current = (await deps.settings.all())[category];
      return c.json({ settings: await save(c, category, { ...current, ...(changes as object) }) });
    },
    {
      summary: "Change single settings of one category",
      body: v.union(SETTINGS_CATEGORIES.map((category) => categorySchema(category, true))),
    },
  );
}
