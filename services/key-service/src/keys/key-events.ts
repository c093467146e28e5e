/**
 * What every key change produces: a KeysChanged broadcast (edges drop their cached verification at once) and, for
 * lifecycle transitions, an audit record on the AUDIT stream via the outbox. Neither ever carries a plaintext key.
 */
import { randomUUID } from "node:crypto";
import type { Bus, Outbox } from "@thinkwatch/bus";
import {
  type AuditActor,
  type AuditRecord,
  auditRecordContract,
  type KeyActor,
  KeysChanged,
  type PayloadOf,
} from "@thinkwatch/proto";
import type { KeyRow } from "./key-store.js";

export type KeyChange = PayloadOf<typeof KeysChanged>["change"];
/** `key.<verb>` audit actions of the key lifecycle. */
export type KeyAuditVerb =
  | "created"
  | "updated"
  | "rotated"
  | "revealed"
  | "revoked"
  | "deleted"
  | "expired"
  | "expiry_warning"
  | "disabled_inactive"
  | "suspended"
  | "restored"
  | "purged";

export const SYSTEM_KEY_ACTOR: AuditActor = { kind: "system", id: null, name: "key-service", ip: null, userAgent: null };

export function auditActorOf(actor: KeyActor | undefined): AuditActor {
  if (actor === undefined) return SYSTEM_KEY_ACTOR;
  return { kind: "user", id: actor.userId, name: actor.name, ip: actor.ip, userAgent: actor.userAgent };
}

export interface KeyEvents {
  changed(row: KeyRow, change: KeyChange): void;
  audit(
    verb: KeyAuditVerb,
    row: Pick<KeyRow, "id" | "name" | "keyPrefix" | "lineageId" | "teamId" | "userId">,
    options?: { actor?: KeyActor; details?: Record<string, unknown>; before?: unknown; after?: unknown },
  ): void;
}

export function createKeyEvents(bus: Bus, outbox: Outbox, now: () => number): KeyEvents {
  return {
    changed(row, change) {
      bus.broadcast(KeysChanged, { keyId: row.id, keyHash: row.keyHash, change });
    },
    audit(verb, row, options = {}) {
      const record: AuditRecord = {
        eventId: randomUUID(),
        occurredAt: now(),
        traceId: null,
        requestId: options.actor?.requestId ?? null,
        category: "api_key",
        action: `key.${verb}`,
        actor: auditActorOf(options.actor),
        target: { kind: "api_key", id: row.id, name: row.name },
        outcome: "success",
        teamId: row.teamId,
        details: { prefix: row.keyPrefix, lineageId: row.lineageId, ownerId: row.userId, ...options.details },
        before: options.before ?? null,
        after: options.after ?? null,
      };
      outbox.enqueue(auditRecordContract(record.action), record, record.eventId);
    },
  };
}
