/**
 * Registered models and their routes in PostgreSQL. A route is identified by (model, provider, upstream name), so
 * replacing a model's routes keeps the ids — and with them the circuit-breaker state — of routes that stay.
 */
import { type Database, tables } from "@thinkwatch/db";
import { AppError } from "@thinkwatch/errors";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";

export interface RouteRecord {
  id: string;
  providerId: string;
  upstreamModel: string;
  weight: number;
  priority: number;
  enabled: boolean;
  rpmLimit: number | null;
  tpmLimit: number | null;
}

export interface ModelRecord {
  id: string;
  modelId: string;
  isActive: boolean;
  /** In the order the admin gave them. */
  routes: RouteRecord[];
}

export type RouteInput = Omit<RouteRecord, "id">;

export interface ModelStore {
  listModels(): Promise<ModelRecord[]>;
  findModel(id: string): Promise<ModelRecord | null>;
  createModel(modelId: string, routes: RouteInput[]): Promise<ModelRecord>;
  /** Replace the routes (when given) and/or the active flag. */
  updateModel(id: string, change: { routes?: RouteInput[]; isActive?: boolean }): Promise<ModelRecord>;
  /** Soft delete: the name becomes free to register again. */
  deleteModel(id: string): Promise<ModelRecord>;
}

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

function isUniqueViolation(caught: unknown): boolean {
  const error = caught as { code?: string; cause?: { code?: string } };
  return error.code === "23505" || error.cause?.code === "23505";
}

const toRoute = (row: typeof tables.modelRoutes.$inferSelect): RouteRecord => ({
  id: row.id,
  providerId: row.providerId,
  upstreamModel: row.upstreamModel,
  weight: row.weight,
  priority: row.priority,
  enabled: row.enabled,
  rpmLimit: row.rpmLimit,
  tpmLimit: row.tpmLimit,
});

/** Insert a model with its routes inside a transaction (also used when a provider is created with models). */
export async function insertModel(tx: Tx | Database, modelId: string, routes: RouteInput[]): Promise<ModelRecord> {
  const { models, modelRoutes } = tables;
  const [row] = await tx.insert(models).values({ modelId }).returning();
  if (row === undefined) throw new Error("insert returned no row");
  const routeRows = await tx
    .insert(modelRoutes)
    .values(routes.map((route, position) => ({ ...route, modelId: row.id, position })))
    .returning();
  return { id: row.id, modelId: row.modelId, isActive: row.isActive, routes: routeRows.map(toRoute) };
}

export function conflictOnDuplicate(caught: unknown, modelId: string): never {
  if (isUniqueViolation(caught)) throw new AppError("conflict", `the model '${modelId}' is already registered`);
  throw caught;
}

export function createPostgresModelStore(db: Database): ModelStore {
  const { models, modelRoutes } = tables;

  async function load(where: ReturnType<typeof and>): Promise<ModelRecord[]> {
    const rows = await db.select().from(models).where(where).orderBy(asc(models.modelId));
    if (rows.length === 0) return [];
    const routeRows = await db
      .select()
      .from(modelRoutes)
      .where(
        inArray(
          modelRoutes.modelId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(modelRoutes.position));
    return rows.map((row) => ({
      id: row.id,
      modelId: row.modelId,
      isActive: row.isActive,
      routes: routeRows.filter((r) => r.modelId === row.id).map(toRoute),
    }));
  }

  const findLive = async (id: string) => (await load(and(eq(models.id, id), isNull(models.deletedAt))))[0] ?? null;

  return {
    listModels: () => load(and(isNull(models.deletedAt))),
    findModel: findLive,
    async createModel(modelId, routes) {
      try {
        return await db.transaction((tx) => insertModel(tx, modelId, routes));
      } catch (caught) {
        return conflictOnDuplicate(caught, modelId);
      }
    },
    async updateModel(id, change) {
      const current = await findLive(id);
      if (current === null) throw new AppError("not_found", `no model with id ${id}`);
      await db.transaction(async (tx) => {
        if (change.isActive !== undefined) {
          await tx.update(models).set({ isActive: change.isActive, updatedAt: sql`now()` }).where(eq(models.id, id));
        }
        if (change.routes === undefined) return;
        const key = (r: { providerId: string; upstreamModel: string }) => `${r.providerId} ${r.upstreamModel}`;
        const existing = new Map(current.routes.map((r) => [key(r), r]));
        const kept = new Set<string>();
        for (const [position, route] of change.routes.entries()) {
          const match = existing.get(key(route));
          if (match === undefined) {
            await tx.insert(modelRoutes).values({ ...route, modelId: id, position });
          } else {
            kept.add(match.id);
            await tx
              .update(modelRoutes)
              .set({ ...route, position, updatedAt: sql`now()` })
              .where(eq(modelRoutes.id, match.id));
          }
        }
        const removed = current.routes.filter((r) => !kept.has(r.id)).map((r) => r.id);
        if (removed.length > 0) await tx.delete(modelRoutes).where(inArray(modelRoutes.id, removed));
        await tx.update(models).set({ updatedAt: sql`now()` }).where(eq(models.id, id));
      });
      return (await findLive(id)) as ModelRecord;
    },
    async deleteModel(id) {
      const current = await findLive(id);
      if (current === null) throw new AppError("not_found", `no model with id ${id}`);
      await db.update(models).set({ deletedAt: sql`now()`, isActive: false }).where(eq(models.id, id));
      return current;
    },
  };
}
