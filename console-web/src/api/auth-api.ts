/** /api/auth/*: password sign-in and the signed-in user. */
import type { ApiClient } from "./api-client";

export type Role = "super_admin" | "admin" | "team_manager" | "developer" | "viewer";

export interface ConsoleUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
}

export interface TokenResponse {
  user: ConsoleUser;
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  tokenType: "Bearer";
}

export function login(api: ApiClient, email: string, password: string): Promise<TokenResponse> {
  return api.post("/api/auth/login", { email, password });
}

export function getMe(api: ApiClient): Promise<{ user: ConsoleUser }> {
  return api.get("/api/auth/me");
}

/** Highest first, as admin-api ranks them: a role may do everything the roles after it may. */
const ROLE_ORDER: readonly Role[] = ["super_admin", "admin", "team_manager", "developer", "viewer"];

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLE_ORDER.indexOf(role) <= ROLE_ORDER.indexOf(minimum);
}
