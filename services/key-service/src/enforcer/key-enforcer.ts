/**
 * The background enforcer: the time-based transitions of the key lifecycle — expiry (recorded once), expiry
 * warnings (once per threshold), disabling inactive keys, automatic rotation, purging soft-deleted keys.
 *
 * Safe with several key-service replicas: a tick runs inside a transaction holding a transaction-scoped advisory
 * lock (`pg_try_advisory_xact_lock`), so at most one replica works at a time and the others skip that tick; and every
 * transition is a conditional UPDATE, so even overlapping work changes a row once and reports it once.
 */
import { mintVirtualKey } from "@thinkwatch/crypto";
import { tables } from "@thinkwatch/db";
import { AppError } from "@thinkwatch/errors";
import type { Logger } from "@thinkwatch/log";
import { and, eq, gt, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import type { KeyServiceDeps } from "../deps.js";
import { type Executor, type KeyRow, live, timestamp } from "../keys/key-store.js";
import { rotateKey } from "../keys/rotate-key.js";

/** Arbitrary but fixed: the advisory lock id of the key enforcer. */
const ENFORCER_LOCK_ID = 0x74_77_6b_65; // "twke"
const DAY_MS = 86_400_000;
const BATCH = 500;

const { apiKeys } = tables;

export interface EnforcerReport {
  expired: number;
  warned: number;
  disabled: number;
  rotated: number;
  purged: number;
}

export interface KeyEnforcer {
  /** One pass; null when another replica holds the lock. */
  runOnce(): Promise<EnforcerReport | null>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

type Emit = () => void;

export function createKeyEnforcer(deps: KeyServiceDeps, log: Logger = deps.log): KeyEnforcer {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();

  async function runOnce(): Promise<EnforcerReport | null> {
    const now = deps.now();
    const settings = deps.settings.current().api_keys;
    // Broadcasts and audit records go out only after the transaction committed.
    const emits: Emit[] = [];
    const report = await deps.db.transaction(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(${ENFORCER_LOCK_ID}) as locked`);
      if (lock?.locked !== true) return null;
      return {
        expired: await recordExpiries(tx, now, emits),
        warned: await warnOfExpiry(tx, now, settings.expiryWarningDays, emits),
        disabled: await disableInactive(tx, now, emits),
        purged: await purgeDeleted(tx, now, settings.purgeAfterDays, emits),
      };
    });
    if (report === null) return null;
    for (const emit of emits) emit();
    // Rotations mint keys in their own transactions (one per key), after the lock was released.
    const rotated = await rotateDue(now, settings.rotationGraceHours);
    return { ...report, rotated };
  }

  async function recordExpiries(tx: Executor, now: number, emits: Emit[]): Promise<number> {
    const rows = await tx
      .update(apiKeys)
      .set({ expiryRecordedAt: new Date(now) })
      .where(
        and(
          lte(apiKeys.expiresAt, new Date(now)),
          isNull(apiKeys.expiryRecordedAt),
          isNull(apiKeys.deletedAt),
          isNull(apiKeys.revokedAt),
        ),
      )
      .returning();
    for (const row of rows) {
      emits.push(() => {
        deps.events.changed(row, "expired");
        deps.events.audit("expired", row, { details: { expiresAt: row.expiresAt?.getTime() ?? null } });
      });
    }
    return rows.length;
  }

  /**
   * One warning per threshold crossed: a key within 3 days of expiry is warned once for "3" (and not again for "7"
   * afterwards); `expiry_warned_days` holds the smallest threshold warned about.
   */
  async function warnOfExpiry(tx: Executor, now: number, thresholds: number[], emits: Emit[]): Promise<number> {
    const sorted = [...new Set(thresholds)].sort((a, b) => a - b);
    const widest = sorted.at(-1);
    if (widest === undefined) return 0;
    const candidates = await tx
      .select()
      .from(apiKeys)
      .where(
        and(
          live(),
          isNull(apiKeys.supersededById),
          gt(apiKeys.expiresAt, new Date(now)),
          lte(apiKeys.expiresAt, new Date(now + widest * DAY_MS)),
        ),
      )
      .limit(BATCH);
    let warned = 0;
    for (const candidate of candidates) {
      const expiresAt = candidate.expiresAt?.getTime() ?? 0;
      const threshold = sorted.find((days) => expiresAt - now <= days * DAY_MS);
      if (threshold === undefined) continue;
      const [row] = await tx
        .update(apiKeys)
        .set({ expiryWarnedDays: threshold })
        .where(and(eq(apiKeys.id, candidate.id), or(isNull(apiKeys.expiryWarnedDays), gt(apiKeys.expiryWarnedDays, threshold))))
        .returning();
      if (row === undefined) continue;
      warned += 1;
      emits.push(() =>
        deps.events.audit("expiry_warning", row, {
          details: { daysBefore: threshold, expiresAt, remainingMs: expiresAt - now },
        }),
      );
    }
    return warned;
  }

  async function disableInactive(tx: Executor, now: number, emits: Emit[]): Promise<number> {
    const rows = await tx
      .update(apiKeys)
      .set({ disabledAt: new Date(now), disabledReason: "inactive", updatedAt: new Date(now) })
      .where(
        and(
          live(),
          isNotNull(apiKeys.inactivityTimeoutDays),
          sql`coalesce(${apiKeys.lastUsedAt}, ${apiKeys.createdAt}) + make_interval(days => ${apiKeys.inactivityTimeoutDays}) <= ${timestamp(now)}`,
        ),
      )
      .returning();
    for (const row of rows) {
      emits.push(() => {
        deps.events.changed(row, "disabled");
        deps.events.audit("disabled_inactive", row, {
          details: { inactivityTimeoutDays: row.inactivityTimeoutDays, lastUsedAt: row.lastUsedAt?.getTime() ?? null },
        });
      });
    }
    return rows.length;
  }

  async function purgeDeleted(tx: Executor, now: number, purgeAfterDays: number, emits: Emit[]): Promise<number> {
    const rows = await tx
      .delete(apiKeys)
      .where(and(isNotNull(apiKeys.deletedAt), lte(apiKeys.deletedAt, new Date(now - purgeAfterDays * DAY_MS))))
      .returning();
    for (const row of rows) {
      emits.push(() => {
        deps.events.changed(row, "purged");
        deps.events.audit("purged", row, { details: { deletedAt: row.deletedAt?.getTime() ?? null, purgeAfterDays } });
      });
    }
    return rows.length;
  }

  async function rotateDue(now: number, graceHours: number): Promise<number> {
    const due: KeyRow[] = await deps.db
      .select()
      .from(apiKeys)
      .where(
        and(
          live(),
          isNull(apiKeys.supersededById),
          isNotNull(apiKeys.rotationPeriodDays),
          sql`${apiKeys.createdAt} + make_interval(days => ${apiKeys.rotationPeriodDays}) <= ${timestamp(now)}`,
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date(now))),
        ),
      )
      .limit(BATCH);
    let rotated = 0;
    for (const row of due) {
      try {
        // Nobody is there to receive the new key: it is sealed until its owner reveals it once.
        const { plaintext, ...minted } = mintVirtualKey();
        const { previous, successor } = await rotateKey(deps, row, {
          now,
          graceHours,
          minted,
          sealedPlaintext: deps.keyring.encrypt(plaintext),
        });
        rotated += 1;
        deps.events.changed(previous, "rotated");
        deps.events.changed(successor, "created");
        deps.events.audit("rotated", previous, {
          details: { successorId: successor.id, successorPrefix: successor.keyPrefix, graceHours, automatic: true },
        });
      } catch (caught) {
        // A conflict: another replica (or the owner) rotated or revoked it in between, nothing to do.
        if (caught instanceof AppError && caught.code === "conflict") continue;
        log.error({ err: caught, keyId: row.id }, "automatic rotation failed");
      }
    }
    return rotated;
  }

  return {
    runOnce,
    start(intervalMs) {
      if (timer !== null) return;
      let busy = false;
      timer = setInterval(() => {
        if (busy) return; // A slow pass is not overlapped by the next one.
        busy = true;
        running = runOnce()
          .catch((caught: unknown) => log.error({ err: caught }, "key enforcer pass failed"))
          .finally(() => {
            busy = false;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
