/**
 * Purges models soft-deleted more than `afterDays` ago (the same 30 days as providers and MCP servers), with their
 * routes (the foreign key cascades), as a purge job (purge-job.ts).
 */
import { type Database, tables } from "@thinkwatch/db";
import type { Logger } from "@thinkwatch/log";
import { and, isNotNull, lt } from "drizzle-orm";
import { createPurgeJob, PURGE_AFTER_DAYS, type PurgeJob } from "./purge-job.js";

/** Arbitrary, fixed: the advisory lock key of this job (providers use 0x7477_0601, MCP servers 0x7477_0603). */
const PURGE_LOCK_KEY = 0x7477_0604;

/** Runs return the ids purged. */
export type ModelPurger = PurgeJob<string[]>;

export function createModelPurger(db: Database, log: Logger, afterDays = PURGE_AFTER_DAYS): ModelPurger {
  const { models } = tables;
  return createPurgeJob({
    db,
    log,
    lockKey: PURGE_LOCK_KEY,
    afterDays,
    what: "models",
    count: (ids) => ids.length,
    async purge(tx, cutoff) {
      const rows = await tx
        .delete(models)
        .where(and(isNotNull(models.deletedAt), lt(models.deletedAt, cutoff)))
        .returning({ id: models.id });
      return rows.map((row) => row.id);
    },
  });
}
