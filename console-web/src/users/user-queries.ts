/** Query keys and hooks of the Users area; every change refreshes every user query. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../api/use-api";
import { type CreateUserInput, createUser, deleteUser, listUsers, type UpdateUserInput, updateUser } from "./users-api";

export const userKeys = {
  all: ["users"] as const,
  list: (query: { search: string; page: number; pageSize: number }) => [...userKeys.all, "list", query] as const,
};

export function useUsers(query: { search: string; page: number; pageSize: number }) {
  const api = useApi();
  return useQuery({ queryKey: userKeys.list(query), queryFn: () => listUsers(api, query), placeholderData: keepPreviousData });
}

export function useCreateUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserInput) => createUser(api, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export function useUpdateUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateUserInput }) => updateUser(api, id, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export function useDeleteUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteUser(api, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}
