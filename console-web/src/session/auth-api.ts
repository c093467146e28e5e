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
