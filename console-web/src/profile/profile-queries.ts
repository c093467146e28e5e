/** Query keys and hooks of the Profile page. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../api/use-api";
import { type ChangePasswordInput, changePassword, endAllSessions, endSession, listSessions } from "./profile-api";

export const profileKeys = { sessions: ["profile", "sessions"] as const };

export function useMySessions() {
  const api = useApi();
  return useQuery({ queryKey: profileKeys.sessions, queryFn: () => listSessions(api) });
}

export function useChangePassword() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePasswordInput) => changePassword(api, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: profileKeys.sessions }),
  });
}

export function useEndSession() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => endSession(api, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: profileKeys.sessions }),
  });
}

export function useEndAllSessions() {
  const api = useApi();
  return useMutation({ mutationFn: () => endAllSessions(api) });
}
