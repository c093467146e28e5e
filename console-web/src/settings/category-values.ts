/**
 * Between a settings category and its form: inputs hold text, the API takes typed values. `toTyped` converts what
 * the inputs hold, `checkCategory` validates it with the category's own schema (the one admin-api enforces) so
 * mistakes show next to the field before anything is sent, and `changedKeys` keeps a PATCH to what changed.
 */
import { type SettingsCategory, SettingsSchema } from "@thinkwatch/console-api";
import * as v from "valibot";
import { SETTING_FIELDS, type SettingField } from "./settings-fields";

export type FormValues = Record<string, string | boolean>;

export function toFormValues(category: SettingsCategory, values: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const field of SETTING_FIELDS[category]) {
    const value = values[field.key];
    out[field.key] = field.kind === "boolean" ? value === true : Array.isArray(value) ? value.join(", ") : String(value ?? "");
  }
  return out;
}

function typed(field: SettingField, raw: string | boolean): unknown {
  if (field.kind === "boolean") return raw === true;
  const text = String(raw).trim();
  if (field.kind === "number") return text !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
  if (field.kind === "list" || field.kind === "number-list") {
    const parts =
      text === ""
        ? []
        : text
            .split(",")
            .map((part) => part.trim())
            .filter(Boolean);
    return field.kind === "list" ? parts : parts.map((part) => (Number.isFinite(Number(part)) ? Number(part) : part));
  }
  return text;
}

export function toTyped(category: SettingsCategory, values: FormValues): Record<string, unknown> {
  return Object.fromEntries(SETTING_FIELDS[category].map((field) => [field.key, typed(field, values[field.key] ?? "")]));
}

function categorySchema(category: SettingsCategory): v.GenericSchema {
  const wrapped = (SettingsSchema.entries[category] as unknown as { wrapped: v.ObjectSchema<v.ObjectEntries, undefined> })
    .wrapped;
  return v.strictObject(wrapped.entries);
}

/** `{ key: message }` for every value the schema refuses. */
export function checkCategory(category: SettingsCategory, values: FormValues): Record<string, string> {
  const result = v.safeParse(categorySchema(category), toTyped(category, values), { abortEarly: false });
  if (result.success) return {};
  const fields: Record<string, string> = {};
  for (const issue of result.issues) {
    const key = issue.path?.[0]?.key;
    if (typeof key === "string") fields[key] ??= friendly(issue);
  }
  return fields;
}

function friendly(issue: v.BaseIssue<unknown>): string {
  if (issue.kind === "schema" && issue.expected === "number") return "must be a number";
  if (issue.type === "min_value") return `must be at least ${issue.requirement}`;
  if (issue.type === "max_value") return `must be at most ${issue.requirement}`;
  if (issue.type === "integer") return "must be a whole number";
  return issue.message;
}

export function changedKeys(
  category: SettingsCategory,
  current: Record<string, unknown>,
  values: FormValues,
): Record<string, unknown> {
  const next = toTyped(category, values);
  return Object.fromEntries(
    Object.entries(next).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(current[key])),
  );
}
