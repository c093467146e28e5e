/** Providers and registered models in PostgreSQL. Secrets are stored encrypted and never leave this module in clear. */

import { type Database, tables } from "@thinkwatch/db";
import { AppError } from "@thinkwatch/errors";
import type { ProviderKind } from "@thinkwatch/proto";
import { and, asc, eq, isNull } from "drizzle-orm";

export interface ProviderRecord {
  id: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  apiKeyEncrypted: string | null;
  settings: Record<string, unknown>;
  /** AES-256-GCM ciphertext of a JSON object of header names to values. */
  secretHeadersEncrypted: string | null;
  isActive: boolean;
  createdAt: Date;
}

export type ProviderChanges = Partial<
  Pick<ProviderRecord, "name" | "baseUrl" | "apiKeyEncrypted" | "settings" | "secretHeadersEncrypted" | "isActive">
>;

export interface ModelRecord {
  id: string;
  modelId: string;
  providerId: string;
  upstreamModel: string;
  isActive: boolean;
}

export interface ProviderStore {
  /** Create a provider and its registered models in one transaction. */
  createProvider(
    input: Omit<ProviderRecord, "id" | "createdAt">,
    models: Array<{ modelId: string; upstreamModel: string }>,
  ): Promise<{ provider: ProviderRecord; models: ModelRecord[] }>;
  listProviders(): Promise<ProviderRecord[]>;
  findProvider(id: string): Promise<ProviderRecord | null>;
  /** Change a live provider; null when there is none with that id. */
  updateProvider(id: string, changes: ProviderChanges): Promise<ProviderRecord | null>;
  /** Soft delete: the provider leaves every read and the routing table at once; false when there was none. */
  softDeleteProvider(id: string): Promise<boolean>;
  /** Every provider including soft-deleted ones, for re-encryption. */
  createModel(input: Omit<ModelRecord, "id">): Promise<ModelRecord>;
  listModels(): Promise<ModelRecord[]>;
}

function isUniqueViolation(caught: unknown): boolean {
  const error = caught as { code?: string; cause?: { code?: string } };
  return error.code === "23505" || error.cause?.code === "23505";
}

export function createPostgresProviderStore(db: Database): ProviderStore {
  const { providers, models } = tables;
  const toProvider = (row: typeof providers.$inferSelect): ProviderRecord => ({
    id: row.id,
    name: row.name,
    kind: row.kind as ProviderKind,
    baseUrl: row.baseUrl,
    apiKeyEncrypted: row.apiKeyEncrypted,
    settings: row.settings as Record<string, unknown>,
    secretHeadersEncrypted: row.secretHeadersEncrypted,
    isActive: row.isActive,
    createdAt: row.createdAt,
  });
  const toModel = (row: typeof models.$inferSelect): ModelRecord => ({
    id: row.id,
    modelId: row.modelId,
    providerId: row.providerId,
    upstreamModel: row.upstreamModel,
    isActive: row.isActive,
  });
  return {
    async createProvider(input, modelInputs) {
      try {
        return await db.transaction(async (tx) => {
          const [row] = await tx.insert(providers).values(input).returning();
          if (row === undefined) throw new Error("insert returned no row");
          const modelRows =
            modelInputs.length === 0
              ? []
              : await tx
                  .insert(models)
                  .values(modelInputs.map((m) => ({ modelId: m.modelId, upstreamModel: m.upstreamModel, providerId: row.id })))
                  .returning();
          return { provider: toProvider(row), models: modelRows.map(toModel) };
        });
      } catch (caught) {
        if (isUniqueViolation(caught)) {
          const detail = String(
            (caught as { detail?: string; cause?: { detail?: string } }).cause?.detail ??
              (caught as { detail?: string }).detail ??
              "",
          );
          throw new AppError(
            "conflict",
            detail.includes("model_id")
              ? "one of these models is already registered"
              : `a provider named '${input.name}' already exists`,
          );
        }
        throw caught;
      }
    },
    async listProviders() {
      const rows = await db.select().from(providers).where(isNull(providers.deletedAt)).orderBy(asc(providers.createdAt));
      return rows.map(toProvider);
    },
    async findProvider(id) {
      const [row] = await db
        .select()
        .from(providers)
        .where(and(eq(providers.id, id), isNull(providers.deletedAt)))
        .limit(1);
      return row === undefined ? null : toProvider(row);
    },
    async updateProvider(id, changes) {
      try {
        const [row] = await db
          .update(providers)
          .set({ ...changes, updatedAt: new Date() })
          .where(and(eq(providers.id, id), isNull(providers.deletedAt)))
          .returning();
        return row === undefined ? null : toProvider(row);
      } catch (caught) {
        if (isUniqueViolation(caught)) throw new AppError("conflict", `a provider named '${changes.name}' already exists`);
        throw caught;
      }
    },
    async softDeleteProvider(id) {
      const rows = await db
        .update(providers)
        .set({ deletedAt: new Date(), isActive: false })
        .where(and(eq(providers.id, id), isNull(providers.deletedAt)))
        .returning({ id: providers.id });
      return rows.length > 0;
    },
    async createModel(input) {
      try {
        const [row] = await db.insert(models).values(input).returning();
        if (row === undefined) throw new Error("insert returned no row");
        return toModel(row);
      } catch (caught) {
        if (isUniqueViolation(caught)) throw new AppError("conflict", `the model '${input.modelId}' is already registered`);
        throw caught;
      }
    },
    async listModels() {
      const rows = await db.select().from(models).orderBy(asc(models.modelId));
      return rows.map(toModel);
    },
  };
}
