/** /api/setup/*: whether ThinkWatch is set up, and the one-time creation of the first super admin. */
import type { ApiClient } from "./api-client";
import type { TokenResponse } from "./auth-api";

export interface SetupStatus {
  initialized: boolean;
  needsSetup: boolean;
}

export interface InitializeRequest {
  admin: { email: string; password: string; displayName?: string };
  siteName?: string;
}

export function getSetupStatus(api: ApiClient): Promise<SetupStatus> {
  return api.get("/api/setup/status");
}

export function initializeSetup(api: ApiClient, body: InitializeRequest): Promise<TokenResponse> {
  return api.post("/api/setup/initialize", body);
}
