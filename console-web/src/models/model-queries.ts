/**
 * Query keys and hooks of the models area. The list refreshes every few seconds so breaker states stay current;
 * any change refreshes models and providers (a provider's row lists its models).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../api/use-api";
import { providerKeys } from "../providers/provider-queries";
import { createModel, deleteModel, listModels, type RouteRequest, updateModel } from "./models-api";

export const modelKeys = {
  all: ["models"] as const,
  list: () => [...modelKeys.all, "list"] as const,
};

const HEALTH_REFRESH_MS = 5000;

export function useModels() {
  const api = useApi();
  return useQuery({ queryKey: modelKeys.list(), queryFn: () => listModels(api), refetchInterval: HEALTH_REFRESH_MS });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: modelKeys.all }),
      queryClient.invalidateQueries({ queryKey: providerKeys.all }),
    ]);
}

export function useCreateModel() {
  const api = useApi();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { model: string; routes: RouteRequest[] }) => createModel(api, body),
    onSuccess: invalidate,
  });
}

export function useUpdateModel() {
  const api = useApi();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; routes?: RouteRequest[]; isActive?: boolean }) => updateModel(api, id, body),
    onSuccess: invalidate,
  });
}

export function useDeleteModel() {
  const api = useApi();
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => deleteModel(api, id), onSuccess: invalidate });
}
