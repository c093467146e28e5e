/** Query keys and hooks of the session area: setup status and the signed-in user with their permissions. */
import { useQuery } from "@tanstack/react-query";
import { useApi } from "../api/use-api";
import { getSetupStatus } from "../setup/setup-api";
import { getMe } from "./auth-api";

export const sessionKeys = {
  setupStatus: ["setup", "status"] as const,
  me: ["auth", "me"] as const,
};

export function useSetupStatus() {
  const api = useApi();
  return useQuery({ queryKey: sessionKeys.setupStatus, queryFn: () => getSetupStatus(api) });
}

/** The signed-in user from /api/auth/me; disabled (no request) when there is no session. */
export function useMe(enabled: boolean) {
  const api = useApi();
  return useQuery({ queryKey: sessionKeys.me, queryFn: () => getMe(api), enabled });
}
