/** /api/auth/*: password sign-in and the signed-in user (types from @thinkwatch/console-api). */
import type { LoginRequest, MeResponse, TokenResponse } from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { CurrentUser, PublicUser, Role, TokenResponse } from "@thinkwatch/console-api";

export function login(api: ApiClient, body: LoginRequest): Promise<TokenResponse> {
  return api.post("/api/auth/login", body);
}

export function getMe(api: ApiClient): Promise<MeResponse> {
  return api.get("/api/auth/me");
}

/** A new access token for the session whose refresh cookie (HttpOnly, sent by the browser itself) this tab holds. */
export function refreshSession(api: ApiClient): Promise<TokenResponse> {
  return api.post("/api/auth/refresh");
}

/** End this session on the server (its refresh cookie is cleared too). */
export async function logout(api: ApiClient): Promise<void> {
  await api.post("/api/auth/logout");
}
