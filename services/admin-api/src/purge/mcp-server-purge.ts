/**
 * Purges MCP servers soft-deleted more than `afterDays` ago (the same 30 days as providers), then forgets the
 * per-user OAuth tokens linked to them; a purge job (purge-job.ts: locked, conditional on age, safe with several
 * admin-api replicas).
 */
import { type Database, tables } from "@thinkwatch/db";
import type { Logger } from "@thinkwatch/log";
import { and, isNotNull, lt } from "drizzle-orm";
import { createPurgeJob, PURGE_AFTER_DAYS, type PurgeJob } from "./purge-job.js";

/** Arbitrary, fixed: the advisory lock key of this job (the provider purge uses 0x7477_0601). */
const PURGE_LOCK_KEY = 0x7477_0603;

/** Runs return the ids purged. */
export type McpServerPurger = PurgeJob<string[]>;

export function createMcpServerPurger(
  db: Database,
  log: Logger,
  /** Drops what lives outside PostgreSQL for a purged server (its users' OAuth tokens in KV). */
  forget: (serverId: string) => Promise<unknown>,
  afterDays = PURGE_AFTER_DAYS,
): McpServerPurger {
  const { mcpServers } = tables;
  return createPurgeJob({
    db,
    log,
    lockKey: PURGE_LOCK_KEY,
    afterDays,
    what: "MCP servers",
    count: (ids) => ids.length,
    async purge(tx, cutoff) {
      const rows = await tx
        .delete(mcpServers)
        .where(and(isNotNull(mcpServers.deletedAt), lt(mcpServers.deletedAt, cutoff)))
        .returning({ id: mcpServers.id });
      return rows.map((row) => row.id);
    },
    // After the commit: a failure here leaves only orphaned ciphertext, never a server without its row.
    async afterCommit(ids) {
      for (const id of ids) {
        await forget(id).catch((caught: unknown) =>
          log.warn({ err: caught, serverId: id }, "cannot forget a purged MCP server's tokens"),
        );
      }
    },
  });
}
