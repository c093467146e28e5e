/** Query keys and hooks of the providers area. Creating a provider refreshes every provider query. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../api/use-api";
import { type CreateProviderRequest, createProvider, listProviders } from "./providers-api";

export const providerKeys = {
  all: ["providers"] as const,
  list: () => [...providerKeys.all, "list"] as const,
};

export function useProviders(options: { enabled?: boolean } = {}) {
  const api = useApi();
  return useQuery({ queryKey: providerKeys.list(), queryFn: () => listProviders(api), enabled: options.enabled ?? true });
}

export function useCreateProvider() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateProviderRequest) => createProvider(api, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: providerKeys.all }),
  });
}
