/** The five console roles, highest first (defined with the console API's schemas). A role may do everything the roles below it may. */
import { ROLES, type Role } from "@thinkwatch/console-api";

export { ROLES, type Role, RoleSchema } from "@thinkwatch/console-api";

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) <= ROLES.indexOf(minimum);
}
