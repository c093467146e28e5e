/**
 * The signed-in user as /api/auth/me described them, with their permissions. Only the console shell's pages (behind
 * RequireConsoleAccess) can read it; `useCan("keys:write")` hides what a user may not do (the API enforces it anyway).
 */
import { createContext, type ReactNode, useContext } from "react";
import type { CurrentUser } from "./auth-api";

const CurrentUserContext = createContext<CurrentUser | null>(null);

export function CurrentUserProvider({ user, children }: { user: CurrentUser; children: ReactNode }) {
  return <CurrentUserContext.Provider value={user}>{children}</CurrentUserContext.Provider>;
}

export function useCurrentUser(): CurrentUser {
  const user = useContext(CurrentUserContext);
  if (user === null) throw new Error("useCurrentUser must be used inside the console shell (RequireConsoleAccess)");
  return user;
}

/** Whether the user holds a permission; null means "any signed-in user". */
export function hasPermission(user: Pick<CurrentUser, "permissions">, permission: string | null): boolean {
  return permission === null || user.permissions.includes(permission);
}

export function useCan(permission: string | null): boolean {
  return hasPermission(useCurrentUser(), permission);
}
