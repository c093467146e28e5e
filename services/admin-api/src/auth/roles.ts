/** The five console roles, highest first (the vocabulary is shared with console-web through @thinkwatch/console-api). */
import { BUILT_IN_ROLE_IDS, BuiltInRoleSchema } from "@thinkwatch/console-api";
import type * as v from "valibot";

export const ROLES = BUILT_IN_ROLE_IDS;
export const RoleSchema = BuiltInRoleSchema;
export type Role = v.InferOutput<typeof RoleSchema>;

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) <= ROLES.indexOf(minimum);
}
