/**
 * The api_keys table behind an interface. Only hashes are stored. Every state change is a conditional UPDATE
 * (`… WHERE <the state it leaves> RETURNING`), so two replicas doing the same transition change a row once and only
 * the one that changed it reports it. Times come from the caller's clock, never the database's, so the lifecycle can
 * be driven by a fake clock in tests.
 */
import { type Database, tables } from "@thinkwatch/db";
import { AppError } from "@thinkwatch/errors";
import type { KeyOwnerKind, KeyPatch, Surface } from "@thinkwatch/proto";
import { and, desc, eq, gt, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";

export type KeyRow = typeof tables.apiKeys.$inferSelect;
type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** The database or a transaction on it. */
export type Executor = Database | Transaction;

export interface NewKey {
  ownerKind: KeyOwnerKind;
  userId: string;
  teamId: string | null;
  costCenter: string | null;
  name: string;
  keyHash: string;
  keyPrefix: string;
  surfaces: Surface[];
  allowedModels: string[] | null;
  allowedMcpTools: string[] | null;
  strictConversion: boolean;
  expiresAt: number | null;
  inactivityTimeoutDays: number | null;
  rotationPeriodDays: number | null;
  /** null: a new lineage (the key's own id). */
  lineageId: string | null;
  rotatedFromId: string | null;
  sealedPlaintext: string | null;
}

const { apiKeys } = tables;
const date = (ms: number | null) => (ms === null ? null : new Date(ms));
/** A time as a parameter of a raw SQL fragment (the driver binds Date objects only through drizzle's columns). */
export const timestamp = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;

/** A key that may still change state: not deleted, revoked, suspended or disabled. */
export const live = () =>
  and(isNull(apiKeys.deletedAt), isNull(apiKeys.revokedAt), isNull(apiKeys.suspendedAt), isNull(apiKeys.disabledAt));

function isUniqueViolation(caught: unknown): boolean {
  const cause = (caught as { cause?: { code?: string } }).cause;
  return (caught as { code?: string }).code === "23505" || cause?.code === "23505";
}

export async function insertKey(db: Executor, key: NewKey, now: number): Promise<KeyRow> {
  try {
    return await insertKeyRow(db, key, now);
  } catch (caught) {
    // The caller minted the key; the same hash twice is a replayed request, not a new key.
    if (isUniqueViolation(caught)) throw new AppError("conflict", "a key with this hash already exists");
    throw caught;
  }
}

async function insertKeyRow(db: Executor, key: NewKey, now: number): Promise<KeyRow> {
  const id = crypto.randomUUID();
  const [row] = await db
    .insert(apiKeys)
    .values({
      id,
      ownerKind: key.ownerKind,
      userId: key.userId,
      teamId: key.teamId,
      costCenter: key.costCenter,
      name: key.name,
      keyHash: key.keyHash,
      keyPrefix: key.keyPrefix,
      surfaces: key.surfaces,
      allowedModels: key.allowedModels,
      allowedMcpTools: key.allowedMcpTools,
      strictConversion: key.strictConversion,
      expiresAt: date(key.expiresAt),
      inactivityTimeoutDays: key.inactivityTimeoutDays,
      rotationPeriodDays: key.rotationPeriodDays,
      lineageId: key.lineageId ?? id,
      rotatedFromId: key.rotatedFromId,
      sealedPlaintext: key.sealedPlaintext,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    .returning();
  if (row === undefined) throw new Error("insert returned no row");
  return row;
}

export async function findByHash(db: Executor, keyHash: string): Promise<KeyRow | null> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.deletedAt)))
    .limit(1);
  return row ?? null;
}

export async function findById(db: Executor, id: string): Promise<KeyRow | null> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.deletedAt)))
    .limit(1);
  return row ?? null;
}

export async function listKeys(db: Executor, filter: { userId?: string; includeDeleted: boolean }): Promise<KeyRow[]> {
  const conditions: SQL[] = [];
  if (!filter.includeDeleted) conditions.push(isNull(apiKeys.deletedAt));
  if (filter.userId !== undefined) conditions.push(eq(apiKeys.userId, filter.userId));
  return db
    .select()
    .from(apiKeys)
    .where(and(...conditions))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

export async function updateKey(db: Executor, id: string, patch: KeyPatch, now: number): Promise<KeyRow | null> {
  const set: Partial<typeof apiKeys.$inferInsert> = { updatedAt: new Date(now) };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.teamId !== undefined) set.teamId = patch.teamId;
  if (patch.costCenter !== undefined) set.costCenter = patch.costCenter;
  if (patch.surfaces !== undefined) set.surfaces = patch.surfaces;
  if (patch.allowedModels !== undefined) set.allowedModels = patch.allowedModels;
  if (patch.allowedMcpTools !== undefined) set.allowedMcpTools = patch.allowedMcpTools;
  if (patch.strictConversion !== undefined) set.strictConversion = patch.strictConversion;
  if (patch.inactivityTimeoutDays !== undefined) set.inactivityTimeoutDays = patch.inactivityTimeoutDays;
  if (patch.rotationPeriodDays !== undefined) set.rotationPeriodDays = patch.rotationPeriodDays;
  if (patch.expiresAt !== undefined) {
    // A new expiry starts the warnings (and the expiry record) over.
    set.expiresAt = date(patch.expiresAt);
    set.expiryWarnedDays = null;
    set.expiryRecordedAt = null;
  }
  const [row] = await db
    .update(apiKeys)
    .set(set)
    .where(and(eq(apiKeys.id, id), live()))
    .returning();
  return row ?? null;
}

/**
 * Mark `id` rotated out (successor and grace end) if it is live and not already rotated. Returns null when another
 * rotation (or revocation) got there first.
 */
export async function markRotated(
  db: Executor,
  id: string,
  successorId: string,
  graceEndsAt: number,
  now: number,
): Promise<KeyRow | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ supersededById: successorId, graceEndsAt: new Date(graceEndsAt), updatedAt: new Date(now) })
    .where(and(eq(apiKeys.id, id), live(), isNull(apiKeys.supersededById)))
    .returning();
  return row ?? null;
}

export async function revokeKey(db: Executor, id: string, reason: string, now: number): Promise<KeyRow | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date(now), revokedReason: reason, updatedAt: new Date(now) })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.deletedAt), isNull(apiKeys.revokedAt)))
    .returning();
  return row ?? null;
}

/** Revoke the rotated predecessors of a lineage that are still in their grace period. */
export async function revokeGraceOfLineage(db: Executor, lineageId: string, now: number): Promise<KeyRow[]> {
  return db
    .update(apiKeys)
    .set({ revokedAt: new Date(now), revokedReason: "forced", updatedAt: new Date(now) })
    .where(
      and(
        eq(apiKeys.lineageId, lineageId),
        isNotNull(apiKeys.supersededById),
        gt(apiKeys.graceEndsAt, new Date(now)),
        isNull(apiKeys.deletedAt),
        isNull(apiKeys.revokedAt),
      ),
    )
    .returning();
}

export async function softDeleteKey(db: Executor, id: string, now: number): Promise<KeyRow | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ deletedAt: new Date(now), sealedPlaintext: null, updatedAt: new Date(now) })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.deletedAt)))
    .returning();
  return row ?? null;
}

/** Take the sealed plaintext of an automatically rotated key, once: the row lock makes a second reveal find nothing. */
export async function takeSealedPlaintext(
  db: Database,
  id: string,
  now: number,
): Promise<{ row: KeyRow; sealed: string } | null> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.deletedAt), isNotNull(apiKeys.sealedPlaintext)))
      .for("update");
    if (current?.sealedPlaintext == null) return null;
    const [row] = await tx
      .update(apiKeys)
      .set({ sealedPlaintext: null, updatedAt: new Date(now) })
      .where(eq(apiKeys.id, id))
      .returning();
    return row === undefined ? null : { row, sealed: current.sealedPlaintext };
  });
}

/** Record use reported by the edges: one statement per batch; `last_used_at` only moves forward. */
export async function touchKeys(db: Executor, ids: string[], at: number): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`greatest(${apiKeys.lastUsedAt}, ${timestamp(at)})` })
    .where(and(inArray(apiKeys.id, ids), isNull(apiKeys.deletedAt)))
    .returning({ id: apiKeys.id });
  return rows.length;
}

/** Owner deactivated: every live key of theirs is suspended (reversible). */
export async function suspendOwnerKeys(db: Executor, userId: string, now: number): Promise<KeyRow[]> {
  return db
    .update(apiKeys)
    .set({ suspendedAt: new Date(now), updatedAt: new Date(now) })
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.deletedAt), isNull(apiKeys.suspendedAt)))
    .returning();
}

export async function restoreOwnerKeys(db: Executor, userId: string, now: number): Promise<KeyRow[]> {
  return db
    .update(apiKeys)
    .set({ suspendedAt: null, updatedAt: new Date(now) })
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.deletedAt), isNotNull(apiKeys.suspendedAt)))
    .returning();
}

/** Owner deleted (all keys) or removed from a team (that team's keys): revoked for good. */
export async function revokeOwnerKeys(
  db: Executor,
  filter: { userId: string; teamId?: string },
  reason: string,
  now: number,
): Promise<KeyRow[]> {
  return db
    .update(apiKeys)
    .set({ revokedAt: new Date(now), revokedReason: reason, updatedAt: new Date(now) })
    .where(
      and(
        eq(apiKeys.userId, filter.userId),
        filter.teamId === undefined ? undefined : eq(apiKeys.teamId, filter.teamId),
        isNull(apiKeys.deletedAt),
        isNull(apiKeys.revokedAt),
      ),
    )
    .returning();
}
