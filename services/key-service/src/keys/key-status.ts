/**
 * A key's status at a moment, and why it is refused. Time-based states (expiry, the end of a grace period, inactivity)
 * are computed from the clock, so a key stops working at its deadline even before the enforcer records it.
 */
import { AppError } from "@thinkwatch/errors";
import type { KeyStatus } from "@thinkwatch/proto";

const DAY_MS = 86_400_000;

export interface StatusFacts {
  deletedAt: number | null;
  revokedAt: number | null;
  suspendedAt: number | null;
  disabledAt: number | null;
  expiresAt: number | null;
  supersededById: string | null;
  graceEndsAt: number | null;
  inactivityTimeoutDays: number | null;
  lastUsedAt: number | null;
  createdAt: number;
}

/** When an unused key becomes inactive, or null when it has no inactivity timeout. */
export function inactiveAfter(key: StatusFacts): number | null {
  if (key.inactivityTimeoutDays === null) return null;
  return (key.lastUsedAt ?? key.createdAt) + key.inactivityTimeoutDays * DAY_MS;
}

export function keyStatusAt(key: StatusFacts, now: number): KeyStatus {
  if (key.deletedAt !== null) return "deleted";
  if (key.revokedAt !== null) return "revoked";
  if (key.suspendedAt !== null) return "suspended";
  if (key.disabledAt !== null) return "disabled";
  if (key.expiresAt !== null && key.expiresAt <= now) return "expired";
  const inactive = inactiveAfter(key);
  if (inactive !== null && inactive <= now) return "disabled";
  if (key.supersededById !== null) return key.graceEndsAt !== null && key.graceEndsAt > now ? "grace" : "rotated";
  return "active";
}

export function isUsable(status: KeyStatus): boolean {
  return status === "active" || status === "grace";
}

/** The error a gateway caller gets for a key in this status (one message per reason, never the key). */
export function refusal(status: KeyStatus, key: StatusFacts): AppError {
  switch (status) {
    case "revoked":
      return new AppError("invalid_api_key", "this API key has been revoked");
    case "suspended":
      return new AppError(
        "invalid_api_key",
        "this API key is suspended: its owner is deactivated or no longer allowed to use API keys",
      );
    case "disabled":
      return new AppError(
        "invalid_api_key",
        `this API key was disabled after ${key.inactivityTimeoutDays ?? 0} days without use`,
      );
    case "expired":
      return new AppError("invalid_api_key", "this API key has expired");
    case "rotated":
      return new AppError("invalid_api_key", "this API key was rotated and its grace period has ended; use its successor");
    default:
      return new AppError("invalid_api_key", "invalid API key");
  }
}
