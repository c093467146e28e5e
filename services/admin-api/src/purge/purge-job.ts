/**
 * The shape every purge of soft-deleted rows shares (providers, models, MCP servers): a run takes a
 * transaction-scoped advisory lock — a replica that does not get it skips the run — and deletes only rows deleted
 * more than `afterDays` ago, so a run repeated anywhere changes nothing; runs repeat on a timer, failures are logged
 * and retried on the next run.
 */
import type { Database } from "@thinkwatch/db";
import type { Logger } from "@thinkwatch/log";
import { sql } from "drizzle-orm";

/** Soft-deleted rows are kept this long before a purge deletes them. */
export const PURGE_AFTER_DAYS = 30;

export type PurgeTransaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface PurgeJob<T> {
  /** One run; its result, or null when another replica held the lock. */
  runOnce(now?: Date): Promise<T | null>;
  /** Run now and then every `intervalMs` until stop(). */
  start(intervalMs: number): void;
  stop(): void;
}

export interface PurgeJobOptions<T> {
  db: Database;
  log: Logger;
  /** Arbitrary, fixed, one per job. */
  lockKey: number;
  afterDays: number;
  /** What is purged, for log lines ("providers"). */
  what: string;
  /** Delete what was soft-deleted before `cutoff`, inside the locked transaction. */
  purge(tx: PurgeTransaction, cutoff: Date): Promise<T>;
  /** How many rows a result stands for (for the log line). */
  count(result: T): number;
  /** After the commit: clean up what lives outside PostgreSQL. */
  afterCommit?(result: T): Promise<void>;
}

export function createPurgeJob<T>(options: PurgeJobOptions<T>): PurgeJob<T> {
  const { db, log, lockKey, afterDays, what } = options;
  let timer: NodeJS.Timeout | undefined;
  const runOnce = async (now = new Date()): Promise<T | null> => {
    const result = await db.transaction(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(${lockKey}) as locked`);
      if (lock?.locked !== true) return null;
      return options.purge(tx, new Date(now.getTime() - afterDays * 86_400_000));
    });
    if (result !== null) await options.afterCommit?.(result);
    return result;
  };
  const tick = () =>
    runOnce().then(
      (result) => {
        const count = result === null ? 0 : options.count(result);
        if (count > 0) log.info({ count }, `purged soft-deleted ${what}`);
      },
      (caught: unknown) => log.error({ err: caught }, `${what} purge failed; retrying on the next run`),
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
