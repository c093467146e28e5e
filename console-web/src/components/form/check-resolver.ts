/**
 * A react-hook-form resolver from a plain check function that returns `{ "path.to.field": "message" }` (the same
 * shape as the API's `details.fields`), for rules a schema states awkwardly (per-kind requirements, "confirm must
 * equal password"). Prefer `valibotResolver(schema)` from @hookform/resolvers/valibot when a schema fits.
 */
import type { FieldValues, FieldErrors as FormErrors, Resolver } from "react-hook-form";
import type { FieldErrors } from "../../api/api-error";

/** `{ "models.0.model": "m" }` → `{ models: { 0: { model: { type, message } } } }`, the nesting RHF reads errors by. */
export function nestFieldErrors(fields: FieldErrors): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, message] of Object.entries(fields)) {
    const parts = path.split(".");
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next === "object" && next !== null) {
        node = next as Record<string, unknown>;
      } else {
        const created: Record<string, unknown> = {};
        node[part] = created;
        node = created;
      }
    }
    node[parts.at(-1) ?? path] = { type: "validate", message };
  }
  return root;
}

export function checkResolver<T extends FieldValues>(check: (values: T) => FieldErrors): Resolver<T> {
  return async (values) => {
    const fields = check(values);
    if (Object.keys(fields).length === 0) return { values, errors: {} };
    return { values: {}, errors: nestFieldErrors(fields) as FormErrors<T> };
  };
}
