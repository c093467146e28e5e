/**
 * Which validation messages a form shows next to its inputs and which must go in its error banner: admin-api names
 * fields by path (`admin.email`, `settings.region`, `models.0.model`), and a message for a field the form has no
 * input for must still reach the user.
 */
import type { FieldErrors } from "../../api/api-error";

/** `shown` lists exact paths, or prefixes ending in "." that cover a group (e.g. "models." for every model row). */
export function isShownField(path: string, shown: readonly string[]): boolean {
  return shown.some((entry) => (entry.endsWith(".") ? path.startsWith(entry) : path === entry));
}

export function unshownFieldErrors(fields: FieldErrors, shown: readonly string[]): [path: string, message: string][] {
  return Object.entries(fields).filter(([path]) => !isShownField(path, shown));
}
