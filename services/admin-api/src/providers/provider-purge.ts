/**
 * Purges providers soft-deleted more than `afterDays` ago, with their model routes (and the models left without any
 * route). Safe with several admin-api replicas:
 * each run takes a transaction-scoped advisory lock (a replica that does not get it skips the run), and the deletes
 * are conditional on the age, so a run repeated anywhere changes nothing.
 */
import { type Database, tables } from "@thinkwatch/db";
import type { Logger } from "@thinkwatch/log";
import { and, inArray, isNotNull, lt, notExists, sql } from "drizzle-orm";

/** Arbitrary, fixed: the advisory lock key of this job. */
const PURGE_LOCK_KEY = 0x7477_0601;
export const PROVIDER_PURGE_AFTER_DAYS = 30;

export interface ProviderPurger {
  /** One purge run; returns how many providers were purged, or null when another replica held the lock. */
  runOnce(now?: Date): Promise<number | null>;
  /** Run now and then every `intervalMs` until stop(). */
  start(intervalMs: number): void;
  stop(): void;
}

export function createProviderPurger(db: Database, log: Logger, afterDays = PROVIDER_PURGE_AFTER_DAYS): ProviderPurger {
  const { providers, models, modelRoutes } = tables;
  let timer: NodeJS.Timeout | undefined;
  const runOnce = async (now = new Date()) =>
    db.transaction(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(${PURGE_LOCK_KEY}) as locked`);
      if (lock?.locked !== true) return null;
      const cutoff = new Date(now.getTime() - afterDays * 86_400_000);
      const expired = and(isNotNull(providers.deletedAt), lt(providers.deletedAt, cutoff));
      const doomed = await tx.select({ id: providers.id }).from(providers).where(expired);
      if (doomed.length === 0) return 0;
      const ids = doomed.map((row) => row.id);
      await tx.delete(modelRoutes).where(inArray(modelRoutes.providerId, ids));
      // A model always has a route; one whose every route went with these providers goes too.
      await tx
        .delete(models)
        .where(notExists(tx.select({ id: modelRoutes.id }).from(modelRoutes).where(sql`${modelRoutes.modelId} = ${models.id}`)));
      const purged = await tx
        .delete(providers)
        .where(and(inArray(providers.id, ids), expired))
        .returning({ id: providers.id });
      return purged.length;
    });
  const tick = () =>
    runOnce().then(
      (count) => {
        if (count) log.info({ count }, "purged soft-deleted providers");
      },
      (caught: unknown) => log.error({ err: caught }, "provider purge failed; retrying on the next run"),
    );
  return {
    runOnce,
    start(intervalMs) {
      void tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
