/** /api/admin/users: list (search, paging), create (password or invitation), update, deactivate, delete. */
import type { CreateUserInput, Invite, UpdateUserInput, User, UserList } from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { CreateUserInput, Invite, UpdateUserInput, User, UserList } from "@thinkwatch/console-api";

export function listUsers(api: ApiClient, query: { search: string; page: number; pageSize: number }): Promise<UserList> {
  const params = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize) });
  if (query.search !== "") params.set("search", query.search);
  return api.get(`/api/admin/users?${params}`);
}

export function createUser(api: ApiClient, body: CreateUserInput): Promise<{ user: User; invite?: Invite }> {
  return api.post("/api/admin/users", body);
}

export async function updateUser(api: ApiClient, id: string, body: UpdateUserInput): Promise<User> {
  return (await api.patch<{ user: User }>(`/api/admin/users/${encodeURIComponent(id)}`, body)).user;
}

export async function deleteUser(api: ApiClient, id: string): Promise<void> {
  await api.delete(`/api/admin/users/${encodeURIComponent(id)}`);
}
