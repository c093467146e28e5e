/**
 * Purges MCP servers soft-deleted more than `afterDays` ago (the same 30 days as providers), then forgets the
 * per-user OAuth tokens linked to them. Safe with several admin-api replicas: each run takes a transaction-scoped
 * advisory lock (a replica that does not get it skips the run), and the delete is conditional on the age, so a run
 * repeated anywhere changes nothing.
 */
import { type Database, tables } from "@thinkwatch/db";
import type { Logger } from "@thinkwatch/log";
import { and, isNotNull, lt, sql } from "drizzle-orm";
import { PROVIDER_PURGE_AFTER_DAYS } from "../providers/provider-purge.js";

/** Arbitrary, fixed: the advisory lock key of this job (the provider purge uses 0x7477_0601). */
const PURGE_LOCK_KEY = 0x7477_0603;

export interface McpServerPurger {
  /** One purge run; returns the ids purged, or null when another replica held the lock. */
  runOnce(now?: Date): Promise<string[] | null>;
  /** Run now and then every `intervalMs` until stop(). */
  start(intervalMs: number): void;
  stop(): void;
}

export function createMcpServerPurger(
  db: Database,
  log: Logger,
  /** Drops what lives outside PostgreSQL for a purged server (its users' OAuth tokens in KV). */
  forget: (serverId: string) => Promise<unknown>,
  afterDays = PROVIDER_PURGE_AFTER_DAYS,
): McpServerPurger {
  const { mcpServers } = tables;
  let timer: NodeJS.Timeout | undefined;
  const runOnce = async (now = new Date()) => {
    const purged = await db.transaction(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(${PURGE_LOCK_KEY}) as locked`);
      if (lock?.locked !== true) return null;
      const cutoff = new Date(now.getTime() - afterDays * 86_400_000);
      const rows = await tx
        .delete(mcpServers)
        .where(and(isNotNull(mcpServers.deletedAt), lt(mcpServers.deletedAt, cutoff)))
        .returning({ id: mcpServers.id });
      return rows.map((row) => row.id);
    });
    // After the commit: a failure here leaves only orphaned ciphertext, never a server without its row.
    for (const id of purged ?? []) {
      await forget(id).catch((caught: unknown) =>
        log.warn({ err: caught, serverId: id }, "cannot forget a purged MCP server's tokens"),
      );
    }
    return purged;
  };
  const tick = () =>
    runOnce().then(
      (ids) => {
        if (ids?.length) log.info({ count: ids.length }, "purged soft-deleted MCP servers");
      },
      (caught: unknown) => log.error({ err: caught }, "MCP server purge failed; retrying on the next run"),
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
