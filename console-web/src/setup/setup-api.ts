/** /api/setup/*: whether ThinkWatch is set up, and the one-time creation of the first super admin. */
import type { InitializeRequest, SetupStatus, TokenResponse } from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { InitializeRequest, SetupStatus } from "@thinkwatch/console-api";

export function getSetupStatus(api: ApiClient): Promise<SetupStatus> {
  return api.get("/api/setup/status");
}

export function initializeSetup(api: ApiClient, body: InitializeRequest): Promise<TokenResponse> {
  return api.post("/api/setup/initialize", body);
}
