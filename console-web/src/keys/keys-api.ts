/** /api/keys: the signed-in user's virtual keys (`tw-…`); the plaintext comes back only from create. */
import type { ApiKey, CreatedKey, CreateKeyRequest } from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { ApiKey, CreatedKey, CreateKeyRequest, Surface } from "@thinkwatch/console-api";

export async function listKeys(api: ApiClient): Promise<ApiKey[]> {
  return (await api.get<{ keys: ApiKey[] }>("/api/keys")).keys;
}

export function createKey(api: ApiClient, body: CreateKeyRequest): Promise<CreatedKey> {
  return api.post("/api/keys", body);
}

export async function revokeKey(api: ApiClient, id: string): Promise<ApiKey> {
  return (await api.post<{ key: ApiKey }>(`/api/keys/${encodeURIComponent(id)}/revoke`)).key;
}
