/** /api/admin/roles and /api/admin/permissions: built-in tiers (read-only), custom roles, the permission vocabulary. */
import type { CreateRoleInput, RoleDefinition } from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { CreateRoleInput, RoleDefinition } from "@thinkwatch/console-api";

export async function listRoles(api: ApiClient): Promise<RoleDefinition[]> {
  return (await api.get<{ roles: RoleDefinition[] }>("/api/admin/roles")).roles;
}

export async function listPermissions(api: ApiClient): Promise<string[]> {
  return (await api.get<{ permissions: string[] }>("/api/admin/permissions")).permissions;
}

export async function createRole(api: ApiClient, body: CreateRoleInput): Promise<RoleDefinition> {
  return (await api.post<{ role: RoleDefinition }>("/api/admin/roles", body)).role;
}

export async function updateRole(api: ApiClient, id: string, body: Partial<CreateRoleInput>): Promise<RoleDefinition> {
  return (await api.patch<{ role: RoleDefinition }>(`/api/admin/roles/${encodeURIComponent(id)}`, body)).role;
}

export async function deleteRole(api: ApiClient, id: string): Promise<void> {
  await api.delete(`/api/admin/roles/${encodeURIComponent(id)}`);
}
