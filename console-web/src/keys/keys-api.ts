/** /api/keys: the signed-in user's virtual keys (`tw-…`); a plaintext comes back only from create, rotate and reveal. */
import type {
  ApiKey,
  CreatedKey,
  CreateKeyRequest,
  RevokeKeyResponse,
  RotateKeyResponse,
  UpdateKeyRequest,
} from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type {
  ApiKey,
  CreatedKey,
  CreateKeyRequest,
  KeyStatus,
  RotateKeyResponse,
  Surface,
  UpdateKeyRequest,
} from "@thinkwatch/console-api";

const path = (id: string) => `/api/keys/${encodeURIComponent(id)}`;

export async function listKeys(api: ApiClient): Promise<ApiKey[]> {
  return (await api.get<{ keys: ApiKey[] }>("/api/keys")).keys;
}

export function createKey(api: ApiClient, body: CreateKeyRequest): Promise<CreatedKey> {
  return api.post("/api/keys", body);
}

export async function updateKey(api: ApiClient, id: string, body: UpdateKeyRequest): Promise<ApiKey> {
  return (await api.patch<{ key: ApiKey }>(path(id), body)).key;
}

/** A new key in the same lineage; the old one keeps working for `graceHours` (default: the setting). */
export function rotateKey(api: ApiClient, id: string, graceHours?: number): Promise<RotateKeyResponse> {
  return api.post(`${path(id)}/rotate`, graceHours === undefined ? {} : { graceHours });
}

/** The plaintext of a key minted by automatic rotation, once. */
export function revealKey(api: ApiClient, id: string): Promise<CreatedKey> {
  return api.post(`${path(id)}/reveal`);
}

export function revokeKey(api: ApiClient, id: string, force = false): Promise<RevokeKeyResponse> {
  return api.post(`${path(id)}/revoke${force ? "?force=true" : ""}`);
}

export async function deleteKey(api: ApiClient, id: string): Promise<ApiKey> {
  return (await api.delete<{ key: ApiKey }>(path(id))).key;
}
