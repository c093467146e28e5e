/** The five console roles, highest first. A role may do everything the roles below it may. */
import * as v from "valibot";

export const ROLES = ["super_admin", "admin", "team_manager", "developer", "viewer"] as const;
export const RoleSchema = v.picklist(ROLES);
export type Role = v.InferOutput<typeof RoleSchema>;

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) <= ROLES.indexOf(minimum);
}
