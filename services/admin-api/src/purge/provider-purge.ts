/**
 * Purges providers soft-deleted more than `afterDays` ago, with their model routes (and the models left without any
 * route), as a purge job (purge-job.ts: locked, conditional on age, safe with several admin-api replicas).
 */
import { type Database, tables } from "@thinkwatch/db";
import type { Logger } from "@thinkwatch/log";
import { and, inArray, isNotNull, lt, notExists, sql } from "drizzle-orm";
import { createPurgeJob, PURGE_AFTER_DAYS, type PurgeJob } from "./purge-job.js";

/** Arbitrary, fixed: the advisory lock key of this job. */
const PURGE_LOCK_KEY = 0x7477_0601;

/** Runs return how many providers were purged. */
export type ProviderPurger = PurgeJob<number>;

export function createProviderPurger(db: Database, log: Logger, afterDays = PURGE_AFTER_DAYS): ProviderPurger {
  const { providers, models, modelRoutes } = tables;
  return createPurgeJob({
    db,
    log,
    lockKey: PURGE_LOCK_KEY,
    afterDays,
    what: "providers",
    count: (purged) => purged,
    async purge(tx, cutoff) {
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
    },
  });
}
