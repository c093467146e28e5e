/** /api/keys: the signed-in user's virtual keys (`tw-…`); the plaintext comes back only from create. */
import type { ApiClient } from "./api-client";

export type Surface = "ai_gateway" | "mcp_gateway";

export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the key, safe to show so keys can be told apart. */
  prefix: string;
  userId: string;
  teamId: string | null;
  surfaces: Surface[];
  /** null: every model the gateway routes. */
  allowedModels: string[] | null;
  /** Epoch milliseconds, or null when unset. */
  expiresAt: number | null;
  revokedAt: number | null;
  createdAt: number;
}

export interface CreateKeyRequest {
  name: string;
  surfaces?: Surface[];
  allowedModels?: string[] | null;
  expiresInDays?: number;
}

export interface CreatedKey {
  key: ApiKey;
  /** Shown to the user once and never stored by the console. */
  plaintext: string;
}

export async function listKeys(api: ApiClient): Promise<ApiKey[]> {
  return (await api.get<{ keys: ApiKey[] }>("/api/keys")).keys;
}

export function createKey(api: ApiClient, body: CreateKeyRequest): Promise<CreatedKey> {
  return api.post("/api/keys", body);
}

export async function revokeKey(api: ApiClient, id: string): Promise<ApiKey> {
  return (await api.post<{ key: ApiKey }>(`/api/keys/${encodeURIComponent(id)}/revoke`)).key;
}
