/**
 * Rules about who may manage whom, so user administration cannot be used to gain power: a caller may only grant
 * roles whose permissions they hold themselves and only manage users whose permissions they hold themselves;
 * team managers (users:read without users:read_all) see only members of their teams.
 */
import { AppError } from "@thinkwatch/errors";
import type { Permission } from "../auth/permissions.js";
import { type Principal, teamsWhere } from "../auth/principal.js";
import type { AdminDeps } from "../deps.js";

export function assertGrantable(caller: Principal, granted: readonly Permission[], what: string): void {
  const missing = granted.filter((p) => !caller.permissions.has(p));
  if (missing.length > 0) {
    throw new AppError("forbidden", `you cannot grant ${what}: it includes permissions you do not hold (${missing.join(", ")})`);
  }
}

/** The target must exist and be visible to the caller; otherwise 404 (never reveal users of other teams). */
export async function visibleUser(deps: AdminDeps, caller: Principal, userId: string) {
  const user = await deps.users.findById(userId);
  if (user === null) throw new AppError("not_found", `no user with id ${userId}`);
  const teams = teamsWhere(caller, "users:read");
  if (teams === "all" || userId === caller.id) return user;
  const access = await deps.access.user(userId);
  if (access !== null && teams.some((teamId) => access.teams.get(teamId)?.teamRole != null)) return user;
  throw new AppError("not_found", `no user with id ${userId}`);
}

/** The caller may change the target only if the target's global permissions are within the caller's. */
export async function assertManageable(deps: AdminDeps, caller: Principal, userId: string): Promise<void> {
  const target = await deps.access.user(userId);
  if (target === null) throw new AppError("not_found", `no user with id ${userId}`);
  assertGrantable(caller, [...target.permissions], "changes to this user");
}
