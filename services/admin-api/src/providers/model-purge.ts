/**
 * Purges models soft-deleted more than `afterDays` ago (the same 30 days as providers and MCP servers), with their
 * routes (the foreign key cascades). Safe with several admin-api replicas: each run takes a transaction-scoped
 * advisory lock (a replica that does not get it skips the run), and the delete is conditional on the age, so a run
 * repeated anywhere changes nothing.
 */
import { type Database, tables } from "@thinkwatch/db";
import type { Logger } from "@thinkwatch/log";
import { and, isNotNull, lt, sql } from "drizzle-orm";
import { PROVIDER_PURGE_AFTER_DAYS } from "./provider-purge.js";

/** Arbitrary, fixed: the advisory lock key of this job (providers use 0x7477_0601, MCP servers 0x7477_0603). */
const PURGE_LOCK_KEY = 0x7477_0604;

export interface ModelPurger {
  /** One purge run; returns the ids purged, or null when another replica held the lock. */
  runOnce(now?: Date): Promise<string[] | null>;
  /** Run now and then every `intervalMs` until stop(). */
  start(intervalMs: number): void;
  stop(): void;
}

export function createModelPurger(db: Database, log: Logger, afterDays = PROVIDER_PURGE_AFTER_DAYS): ModelPurger {
  const { models } = tables;
  let timer: NodeJS.Timeout | undefined;
  const runOnce = async (now = new Date()) =>
    db.transaction(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(${PURGE_LOCK_KEY}) as locked`);
      if (lock?.locked !== true) return null;
      const cutoff = new Date(now.getTime() - afterDays * 86_400_000);
      const rows = await tx
        .delete(models)
        .where(and(isNotNull(models.deletedAt), lt(models.deletedAt, cutoff)))
        .returning({ id: models.id });
      return rows.map((row) => row.id);
    });
  const tick = () =>
    runOnce().then(
      (ids) => {
        if (ids?.length) log.info({ count: ids.length }, "purged soft-deleted models");
      },
      (caught: unknown) => log.error({ err: caught }, "model purge failed; retrying on the next run"),
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
