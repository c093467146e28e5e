/** Query keys and hooks of the API keys area. Creating or revoking a key refreshes every key query. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../api/use-api";
import { type CreateKeyRequest, createKey, listKeys, revokeKey } from "./keys-api";

export const keyKeys = {
  all: ["keys"] as const,
  mine: () => [...keyKeys.all, "mine"] as const,
};

export function useMyKeys() {
  const api = useApi();
  return useQuery({ queryKey: keyKeys.mine(), queryFn: () => listKeys(api) });
}

export function useCreateKey() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateKeyRequest) => createKey(api, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keyKeys.all }),
  });
}

export function useRevokeKey() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => revokeKey(api, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keyKeys.all }),
  });
}
