/** A stored row as the public key info on the bus: times in epoch ms, status at the given moment, never the hash. */
import type { ApiKeyInfo, KeyOwnerKind, Surface } from "@thinkwatch/proto";
import { keyStatusAt, type StatusFacts } from "./key-status.js";
import type { KeyRow } from "./key-store.js";

const ms = (value: Date | null) => value?.getTime() ?? null;

export function statusFacts(row: KeyRow): StatusFacts {
  return {
    deletedAt: ms(row.deletedAt),
    revokedAt: ms(row.revokedAt),
    suspendedAt: ms(row.suspendedAt),
    disabledAt: ms(row.disabledAt),
    expiresAt: ms(row.expiresAt),
    supersededById: row.supersededById,
    graceEndsAt: ms(row.graceEndsAt),
    inactivityTimeoutDays: row.inactivityTimeoutDays,
    lastUsedAt: ms(row.lastUsedAt),
    createdAt: row.createdAt.getTime(),
  };
}

export function toKeyInfo(row: KeyRow, now: number): ApiKeyInfo {
  const facts = statusFacts(row);
  return {
    id: row.id,
    name: row.name,
    prefix: row.keyPrefix,
    ownerKind: row.ownerKind as KeyOwnerKind,
    userId: row.userId,
    teamId: row.teamId,
    costCenter: row.costCenter,
    surfaces: row.surfaces as Surface[],
    allowedModels: row.allowedModels,
    allowedMcpTools: row.allowedMcpTools,
    strictConversion: row.strictConversion,
    expiresAt: facts.expiresAt,
    inactivityTimeoutDays: row.inactivityTimeoutDays,
    rotationPeriodDays: row.rotationPeriodDays,
    lineageId: row.lineageId,
    rotatedFromId: row.rotatedFromId,
    supersededById: row.supersededById,
    graceEndsAt: facts.graceEndsAt,
    revokedAt: facts.revokedAt,
    revokedReason: row.revokedReason,
    disabledAt: facts.disabledAt,
    disabledReason: row.disabledReason,
    suspendedAt: facts.suspendedAt,
    deletedAt: facts.deletedAt,
    lastUsedAt: facts.lastUsedAt,
    pendingReveal: row.sealedPlaintext !== null,
    status: keyStatusAt(facts, now),
    createdAt: facts.createdAt,
    updatedAt: row.updatedAt.getTime(),
  };
}
