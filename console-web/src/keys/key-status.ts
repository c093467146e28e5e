/**
 * A key's status as the page shows it: key-service's status, except that a key whose expiry or grace period has
 * passed since the list was loaded is shown as such without a reload.
 */
import type { ApiKey, KeyStatus } from "./keys-api";

export function keyStatus(key: Pick<ApiKey, "status" | "expiresAt" | "graceEndsAt">, now: number): KeyStatus {
  if (key.status !== "active" && key.status !== "grace") return key.status;
  if (key.expiresAt !== null && key.expiresAt <= now) return "expired";
  if (key.status === "grace" && key.graceEndsAt !== null && key.graceEndsAt <= now) return "rotated";
  return key.status;
}

/** Keys that may still be rotated, edited or revoked. */
export function isLive(status: KeyStatus): boolean {
  return status === "active" || status === "grace";
}
