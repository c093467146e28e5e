/** Query keys and hooks of the settings area; a saved change refreshes every settings query. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../api/use-api";
import {
  getSettings,
  getSso,
  getSsoStatus,
  patchSettings,
  type SettingsCategory,
  type SsoConfigInput,
  saveSso,
  testSso,
} from "./settings-api";

export const settingsKeys = {
  all: ["settings"] as const,
  values: () => [...settingsKeys.all, "values"] as const,
  sso: () => [...settingsKeys.all, "sso"] as const,
  ssoStatus: () => ["sso-status"] as const,
};

export function useSettings() {
  const api = useApi();
  return useQuery({ queryKey: settingsKeys.values(), queryFn: () => getSettings(api) });
}

export function usePatchSettings(category: SettingsCategory) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: Record<string, unknown>) => patchSettings(api, category, changes),
    onSuccess: (settings) => queryClient.setQueryData(settingsKeys.values(), settings),
  });
}

export function useSso() {
  const api = useApi();
  return useQuery({ queryKey: settingsKeys.sso(), queryFn: () => getSso(api) });
}

export function useSaveSso() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SsoConfigInput) => saveSso(api, body),
    onSuccess: (sso) => {
      queryClient.setQueryData(settingsKeys.sso(), sso);
      void queryClient.invalidateQueries({ queryKey: settingsKeys.ssoStatus() });
    },
  });
}

export function useTestSso() {
  const api = useApi();
  return useMutation({ mutationFn: (body: SsoConfigInput) => testSso(api, body) });
}

/** Public: whether the login page shows the SSO button. */
export function useSsoStatus() {
  const api = useApi();
  return useQuery({ queryKey: settingsKeys.ssoStatus(), queryFn: () => getSsoStatus(api), retry: false });
}
