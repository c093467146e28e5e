/** Query keys and hooks of the Roles area. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../api/use-api";
import { type CreateRoleInput, createRole, deleteRole, listPermissions, listRoles, updateRole } from "./roles-api";

export const roleKeys = {
  all: ["roles"] as const,
  list: () => [...roleKeys.all, "list"] as const,
  permissions: () => [...roleKeys.all, "permissions"] as const,
};

export function useRoles() {
  const api = useApi();
  return useQuery({ queryKey: roleKeys.list(), queryFn: () => listRoles(api) });
}

export function usePermissionVocabulary() {
  const api = useApi();
  return useQuery({ queryKey: roleKeys.permissions(), queryFn: () => listPermissions(api), staleTime: Number.POSITIVE_INFINITY });
}

export function useSaveRole() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: CreateRoleInput }) =>
      id === null ? createRole(api, body) : updateRole(api, id, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: roleKeys.all }),
  });
}

export function useDeleteRole() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteRole(api, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: roleKeys.all }),
  });
}
