/** Whether a virtual key still works, from its revoke and expiry times. */
import type { ApiKey } from "./keys-api";

export type KeyStatus = "active" | "revoked" | "expired";

export function keyStatus(key: Pick<ApiKey, "revokedAt" | "expiresAt">, now: number): KeyStatus {
  if (key.revokedAt !== null) return "revoked";
  if (key.expiresAt !== null && key.expiresAt <= now) return "expired";
  return "active";
}
