/** The api_keys table behind an interface: create, find by hash, list, revoke. Only hashes are stored. */

import { type Database, tables } from "@thinkwatch/db";
import type { ApiKeyInfo, Surface } from "@thinkwatch/proto";
import { and, desc, eq, isNull } from "drizzle-orm";

export interface NewKey {
  userId: string;
  teamId: string | null;
  name: string;
  keyHash: string;
  keyPrefix: string;
  surfaces: Surface[];
  allowedModels: string[] | null;
  expiresAt: number | null;
}

export interface StoredKey extends ApiKeyInfo {
  keyHash: string;
}

export interface KeyStore {
  insert(key: NewKey): Promise<StoredKey>;
  findByHash(keyHash: string): Promise<StoredKey | null>;
  list(filter: { userId?: string }): Promise<StoredKey[]>;
  revoke(id: string, at: Date): Promise<StoredKey | null>;
}

type Row = typeof tables.apiKeys.$inferSelect;

function toStoredKey(row: Row): StoredKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.keyPrefix,
    keyHash: row.keyHash,
    userId: row.userId,
    teamId: row.teamId,
    surfaces: row.surfaces as Surface[],
    allowedModels: row.allowedModels,
    expiresAt: row.expiresAt?.getTime() ?? null,
    revokedAt: row.revokedAt?.getTime() ?? null,
    createdAt: row.createdAt.getTime(),
  };
}

export function createPostgresKeyStore(db: Database): KeyStore {
  const { apiKeys } = tables;
  return {
    async insert(key) {
      const [row] = await db
        .insert(apiKeys)
        .values({
          userId: key.userId,
          teamId: key.teamId,
          name: key.name,
          keyHash: key.keyHash,
          keyPrefix: key.keyPrefix,
          surfaces: key.surfaces,
          allowedModels: key.allowedModels,
          expiresAt: key.expiresAt === null ? null : new Date(key.expiresAt),
        })
        .returning();
      if (row === undefined) throw new Error("insert returned no row");
      return toStoredKey(row);
    },
    async findByHash(keyHash) {
      const [row] = await db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.deletedAt)))
        .limit(1);
      return row === undefined ? null : toStoredKey(row);
    },
    async list(filter) {
      const where =
        filter.userId === undefined
          ? isNull(apiKeys.deletedAt)
          : and(isNull(apiKeys.deletedAt), eq(apiKeys.userId, filter.userId));
      const rows = await db.select().from(apiKeys).where(where).orderBy(desc(apiKeys.createdAt));
      return rows.map(toStoredKey);
    },
    async revoke(id, at) {
      const [row] = await db
        .update(apiKeys)
        .set({ revokedAt: at, updatedAt: at })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.deletedAt)))
        .returning();
      return row === undefined ? null : toStoredKey(row);
    },
  };
}

/** The public part of a stored key (never the hash). */
export function publicKeyInfo(key: StoredKey): ApiKeyInfo {
  const { keyHash: _hash, ...info } = key;
  return info;
}
